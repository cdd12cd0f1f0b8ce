using EmotionLab.Data.Queries;

namespace EmotionLab.Web.Components.Grids;

/// <summary>One row of the grid table: a variant, whether it is the reference, and a cell per metric.</summary>
public sealed record ComparisonRow(VariantResults Variant, bool IsReference, IReadOnlyDictionary<GridMetric, ComparisonCell> Cells);
