using EmotionLab.Data.Entities;

namespace EmotionLab.Data.Queries;

/// <summary>A grid and its variants in the order they were created (the grid's expansion order).</summary>
public sealed record GridResults(Grid Grid, IReadOnlyList<VariantResults> Variants)
{
    public bool AnyUnfinished => Variants.Any(v => v.IsUnfinished);
}
