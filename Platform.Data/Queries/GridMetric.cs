namespace EmotionLab.Data.Queries;

/// <summary>The test scores a grid compares its variants on, each taken at a run's best validation epoch.</summary>
public enum GridMetric
{
    WA,
    UA,
    WeightedF1,
    MacroF1,
}
