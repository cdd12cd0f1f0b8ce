using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>
/// Grid results shaped as GridResultsQuery returns them, from per-seed values: the mean and sample
/// std PostgreSQL's avg and stddev_samp give, the values in seed order. Platform.Web.Tests compiles this same file.
/// </summary>
public static class GridResultsFromSeeds
{
    public static MetricOverSeeds Scores(double[] values) => new(
        values.Length > 0 ? values.Average() : null, values.Length > 1 ? SeedSummary.Of(values).Std : null, values);

    /// <summary>A variant whose four metrics all have these values, one per seed.</summary>
    public static VariantResults Variant(string name, int[] seeds, double[] values) =>
        Variant(name, seeds, Enum.GetValues<GridMetric>().ToDictionary(m => m, _ => values));

    /// <summary>A variant with its own values per metric, one per seed; statuses and missing seeds are set with `with`.</summary>
    public static VariantResults Variant(string name, int[] seeds, IReadOnlyDictionary<GridMetric, double[]> values) => new()
    {
        Variant = name, Succeeded = seeds.Length, ScoredSeeds = seeds,
        Metrics = values.ToDictionary(kv => kv.Key, kv => Scores(kv.Value)),
    };

    public static Grid Grid(string? reference, string name = "g", int[]? seeds = null) => new()
    {
        Id = 7, Name = name, Family = "bcaf", BaseSpecJson = "{}", AxesJson = "[]", Seeds = seeds ?? [1, 2, 3, 4], ReferenceVariant = reference,
    };

    public static GridResults Results(string? reference, params VariantResults[] variants) => new(Grid(reference), variants);
}
