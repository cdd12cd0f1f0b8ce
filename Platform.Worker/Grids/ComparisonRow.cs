using EmotionLab.Data.Queries;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// One row of the grid table: a variant, whether it is the reference, the t-test it is compared
/// with (SignificanceTest.Paired or .Welch; null for the reference or without a reference), and a cell per metric.
/// </summary>
public sealed record ComparisonRow(VariantResults Variant, bool IsReference, string? TestKind, IReadOnlyDictionary<GridMetric, ComparisonCell> Cells);
