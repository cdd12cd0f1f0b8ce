using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EmotionLab.Models.Experiments;

/// <summary>
/// The spec's JSON: camelCase, nulls left out, unknown properties refused (a typo must not
/// silently fall back to a default). The canonical form sorts every object's properties and has
/// no whitespace, so equal specs have equal text and equal SHA-256 hashes.
/// </summary>
public static class ExperimentSpecJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        WriteIndented = true,
    };

    public static string Serialize(ExperimentSpec spec) => JsonSerializer.Serialize(spec, Options);

    /// <summary>Parses a spec; a malformed document gives problems (with the field path) instead of an exception.</summary>
    public static SpecParseResult Parse(string json)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<ExperimentSpec>(json, Options);
            return spec is null ? new(null, [new SpecProblem("", "the spec is empty (null)")]) : new(spec, []);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            var message = e.Message.Split(" Path:", 2)[0];
            return new(null, [new SpecProblem(field, message)]);
        }
    }

    /// <summary>Parses and validates in one go: the spec when it can run, otherwise every problem found.</summary>
    public static SpecParseResult ParseAndValidate(string json)
    {
        var parsed = Parse(json);
        if (parsed.Spec is null) return parsed;
        var problems = ExperimentSpecValidator.Validate(parsed.Spec);
        return problems.Count == 0 ? parsed : new(null, problems);
    }

    public static string Canonical(ExperimentSpec spec)
    {
        var node = JsonSerializer.SerializeToNode(spec, Options);
        return Sorted(node)?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";
    }

    /// <summary>Lower-case hex SHA-256 of the canonical form.</summary>
    public static string Hash(ExperimentSpec spec) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(spec)))).ToLowerInvariant();

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };

    // "$.baselines.text.embeddingSize" -> "baselines.text.embeddingSize"; "$" -> "".
    private static string FieldOf(string? path) =>
        path is null or "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}

/// <summary>A parsed spec, or the problems that kept it from parsing (or validating).</summary>
public sealed record SpecParseResult(ExperimentSpec? Spec, IReadOnlyList<SpecProblem> Problems);
