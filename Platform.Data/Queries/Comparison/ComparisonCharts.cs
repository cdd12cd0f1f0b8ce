namespace EmotionLab.Data.Queries.Comparison;

/// <summary>
/// What the compare page's charts draw for some runs: each run's curves, each run's test confusion
/// matrix at its best epoch (runs without one are absent), the means over seeds per experiment
/// among them, in the order of each experiment's first run, and per experiment its mean validation
/// weighted F1 per epoch over the compared runs.
/// </summary>
public sealed record ComparisonCharts(
    IReadOnlyDictionary<long, RunCurves> Curves, IReadOnlyDictionary<long, BestEpochConfusion> TestAtBestEpoch, IReadOnlyList<VariantMeans> Variants,
    ILookup<long, MeanCurvePoint> MeanValidationWeightedF1);

/// <summary>One epoch of a variant's mean curve: how many of its runs reached it, their mean, and their sample std (null for one run).</summary>
public sealed record MeanCurvePoint(int Epoch, int N, double Mean, double? Std);
