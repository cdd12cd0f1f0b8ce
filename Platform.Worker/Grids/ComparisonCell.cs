using EmotionLab.Data.Queries;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// One cell of the grid table: a metric of a variant over its seeds, the ± of the table's interval
/// (null with fewer than two seeds), its delta and its test against the reference.
/// </summary>
public sealed record ComparisonCell(MetricOverSeeds Scores, double? Spread, double? Delta, SignificanceTest? Test, bool IsBest);
