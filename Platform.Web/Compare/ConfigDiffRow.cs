using System.Text.Json;

namespace EmotionLab.Web.Compare;

/// <summary>One spec field that differs across the compared runs: its dotted path and each run's value as JSON (null where its spec lacks the field).</summary>
public sealed record ConfigDiffRow(string Path, IReadOnlyList<string?> Values)
{
    /// <summary>How a value reads in the table: strings without their quotes, everything else as JSON.</summary>
    public static string Display(string json) => json.StartsWith('"') ? JsonSerializer.Deserialize<string>(json)! : json;
}
