namespace EmotionLab.Data.Queries.Comparison;

/// <summary>
/// A run's learning curves: training loss per step (for long runs the mean of each bucket of
/// <see cref="LossStepsPerPoint"/> consecutive steps, at the bucket's mean step) and validation weighted F1 per epoch.
/// </summary>
public sealed record RunCurves(IReadOnlyList<CurvePoint> Loss, int LossStepsPerPoint, IReadOnlyList<CurvePoint> ValidationWeightedF1)
{
    public static RunCurves Empty { get; } = new([], 1, []);
}
