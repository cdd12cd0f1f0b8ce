using EmotionLab.Data.Queries;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// What the ± of a grid table states about a variant's seeds: their sample standard deviation, the
/// standard error of their mean, or the 95% confidence interval of their mean (Student's t). The
/// grid page offers the choice and every export carries it, with a note saying which.
/// </summary>
public sealed record SpreadInterval(string Name, string Title, string Meaning)
{
    public static readonly SpreadInterval Std = new("std", "± std", "mean ± sample standard deviation over seeds");
    public static readonly SpreadInterval StandardError = new("se", "± SE", "mean ± standard error of the mean over seeds (std / √n)");
    public static readonly SpreadInterval Confidence = new("ci", "95% CI", "mean ± half-width of the 95% confidence interval of the mean over seeds (Student's t, n − 1 degrees of freedom)");

    public static IReadOnlyList<SpreadInterval> All { get; } = [Std, StandardError, Confidence];

    public static string Names => string.Join("|", All.Select(i => i.Name));

    public static SpreadInterval? Find(string? name) => All.FirstOrDefault(i => string.Equals(i.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The ± of a metric's values under this interval: null with fewer than two seeds.</summary>
    public double? HalfWidth(MetricOverSeeds scores)
    {
        if (scores.Values.Count < 2) return null;
        if (this == Std) return scores.Std;
        var summary = SeedSummary.Of(scores.Values);
        return this == StandardError ? summary.StandardError : summary.ConfidenceHalfWidth();
    }
}
