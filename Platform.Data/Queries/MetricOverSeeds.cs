namespace EmotionLab.Data.Queries;

/// <summary>
/// One metric of one variant over its scored seeds: mean and sample standard deviation (n - 1) as
/// PostgreSQL computed them, and the per-seed values in the order of the variant's ScoredSeeds
/// (the significance tests need the values themselves). Mean is null with no values, Std with fewer than two.
/// </summary>
public sealed record MetricOverSeeds(double? Mean, double? Std, IReadOnlyList<double> Values)
{
    public int N => Values.Count;
}
