using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmotionLab.Models.Experiments;

/// <summary>One variant of a grid: its name (the axis labels) and its full spec.</summary>
public sealed record GridVariant(string Name, ExperimentSpec Spec);

/// <summary>
/// Expands a base spec and axes into variants: the cartesian product of the axes' values, each
/// applied to the base spec's JSON and then parsed and validated like a spec typed by hand, so a
/// combination that cannot run is named with its problems before anything is stored.
/// </summary>
public static class GridExpansion
{
    public static (IReadOnlyList<GridVariant> Variants, IReadOnlyList<SpecProblem> Problems) Expand(ExperimentSpec baseSpec, IReadOnlyList<GridAxis> axes)
    {
        var variants = new List<GridVariant>();
        var problems = new List<SpecProblem>();
        foreach (var axis in axes)
            if (axis.Values.Count == 0) problems.Add(new SpecProblem("", $"axis '{axis.Name}' has no values"));
        if (problems.Count > 0) return (variants, problems);

        foreach (var combination in Combinations(axes))
        {
            var name = VariantName(combination);
            var node = JsonSerializer.SerializeToNode(baseSpec, WithNulls)!.AsObject();
            foreach (var (field, value) in combination.SelectMany(v => v.Settings))
            {
                if (!TrySet(node, field, value))
                {
                    problems.Add(new SpecProblem(field, $"variant '{name}': the spec has no field '{field}'"));
                    goto next;
                }
            }
            var parsed = ExperimentSpecJson.ParseAndValidate(node.ToJsonString());
            if (parsed.Spec is { } spec) variants.Add(new GridVariant(name, spec));
            else problems.AddRange(parsed.Problems.Select(p => p with { Message = $"variant '{name}': {p.Message}" }));
            next:;
        }
        return (variants, problems);
    }

    /// <summary>A variant's name: its axis values' labels, comma-separated ("base" for a grid without axes).</summary>
    public static string VariantName(IReadOnlyList<GridAxisValue> combination) =>
        combination.Count == 0 ? "base" : string.Join(", ", combination.Select(v => v.Label));

    /// <summary>Every combination of one value per axis, the first axis varying slowest: the variants in expansion order.</summary>
    public static IEnumerable<IReadOnlyList<GridAxisValue>> Combinations(IReadOnlyList<GridAxis> axes)
    {
        IEnumerable<IReadOnlyList<GridAxisValue>> result = [[]];
        foreach (var axis in axes)
            result = result.SelectMany(prefix => axis.Values.Select(v => (IReadOnlyList<GridAxisValue>)[.. prefix, v]));
        return result;
    }

    // Unset fields (a model folder not chosen yet) written as null, so an axis or setting can set them.
    private static readonly JsonSerializerOptions WithNulls = new(ExperimentSpecJson.Options) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never };

    // Sets "a.b.c" inside the object; only paths the spec already has (the serialized defaults
    // include every field), so a typo is a problem rather than a silently ignored key.
    private static bool TrySet(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var current = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (current[parts[i]] is not JsonObject child) return false;
            current = child;
        }
        if (!current.ContainsKey(parts[^1])) return false;
        current[parts[^1]] = value?.DeepClone();
        return true;
    }
}
