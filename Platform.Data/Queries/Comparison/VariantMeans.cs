namespace EmotionLab.Data.Queries.Comparison;

/// <summary>
/// The compared runs of one experiment (a grid variant: same spec, different seeds) that have a
/// test confusion matrix at their best epoch, averaged: the mean of their row-normalised matrices
/// (row-major; a row without true examples counts as zeros) and the per-class F1 mean and sample
/// standard deviation (n - 1; null for a single run).
/// </summary>
public sealed record VariantMeans(
    long ExperimentId, IReadOnlyList<string> Labels, IReadOnlyList<long> RunIds,
    IReadOnlyList<double> MeanRowNormalised, IReadOnlyList<double> F1Mean, IReadOnlyList<double>? F1Std)
{
    public int N => RunIds.Count;
}
