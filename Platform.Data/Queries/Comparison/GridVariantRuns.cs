namespace EmotionLab.Data.Queries.Comparison;

/// <summary>
/// The succeeded runs of some of a grid's variants, variant by variant in the grid's order and by
/// seed within one; the variant names asked for that the grid does not have; and all its variants.
/// </summary>
public sealed record GridVariantRuns(long GridId, string GridName, IReadOnlyList<string> Variants, IReadOnlyList<string> UnknownVariants, IReadOnlyList<long> RunIds);
