namespace EmotionLab.Data.Queries.Comparison;

/// <summary>
/// A run's test confusion matrix at its best epoch (rows true labels, columns predictions,
/// row-major counts) and the per-class F1 PostgreSQL derived from it: 2·TP / (support + predicted),
/// 0 for a class that is neither true nor predicted (scikit-learn's f1_score, average=None).
/// </summary>
public sealed record BestEpochConfusion(int Epoch, IReadOnlyList<string> Labels, IReadOnlyList<int> Counts, IReadOnlyList<double> F1);
