using EmotionLab.Data.Queries;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// One row of the grid table: a variant, whether it is the reference, the t-test it is compared
/// with (SignificanceTest.Paired or .Welch; null for the reference or without a reference), a cell
/// per metric, and the seeds a paired t-test on weighted F1 needs to show the observed difference
/// (<see cref="GridComparison.SeedsNeededMetric"/>; null when the difference is already
/// significant, there is none, the test is not paired, or more than 1,000 seeds would be needed).
/// </summary>
public sealed record ComparisonRow(VariantResults Variant, bool IsReference, string? TestKind, IReadOnlyDictionary<GridMetric, ComparisonCell> Cells, int? SeedsNeeded = null)
{
    /// <summary>Seeds to add to the grid so this row's test has them: SeedsNeeded minus the seeds it has.</summary>
    public int? MoreSeeds => SeedsNeeded is { } needed && needed > Variant.N ? needed - Variant.N : null;
}
