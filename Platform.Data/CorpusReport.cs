using System.Text.Json;

namespace EmotionLab.Data;

/// <summary>Reads and writes a corpus's stored import report (<see cref="Entities.Corpus.ReportJson"/>): a JSON array of problems.</summary>
public static class CorpusReport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(IEnumerable<CorpusProblem> problems) => JsonSerializer.Serialize(problems.ToArray(), Json);

    /// <summary>The problems of a stored report; an empty or unreadable report reads as none (it is informative, not data).</summary>
    public static IReadOnlyList<CorpusProblem> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            return JsonSerializer.Deserialize<CorpusProblem[]>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
