namespace EmotionLab.Data.Queries.Comparison;

/// <summary>
/// What the compare page's charts draw for some runs: each run's curves, each run's test confusion
/// matrix at its best epoch (runs without one are absent), and the means over seeds per experiment
/// among them, in the order of each experiment's first run.
/// </summary>
public sealed record ComparisonCharts(
    IReadOnlyDictionary<long, RunCurves> Curves, IReadOnlyDictionary<long, BestEpochConfusion> TestAtBestEpoch, IReadOnlyList<VariantMeans> Variants);
