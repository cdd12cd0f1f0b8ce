namespace EmotionLab.Data.Queries;

/// <summary>
/// One variant (row) of a grid: its runs by status, and its test scores over the seeds that
/// succeeded and have a test score at their best epoch. Runs in other states are counted, never averaged.
/// </summary>
public sealed record VariantResults
{
    public required string Variant { get; init; }
    public int Queued { get; init; }
    public int Running { get; init; }
    public int Succeeded { get; init; }
    public int Failed { get; init; }
    public int Canceled { get; init; }
    /// <summary>Succeeded runs without a test score at their best epoch (no best epoch, or no test split there).</summary>
    public int Unscored { get; init; }
    /// <summary>Seeds of the grid that have no run of this variant at all.</summary>
    public IReadOnlyList<int> MissingSeeds { get; init; } = [];
    /// <summary>The seeds the statistics are over, ascending; Metrics[m].Values[i] belongs to ScoredSeeds[i].</summary>
    public IReadOnlyList<int> ScoredSeeds { get; init; } = [];
    public required IReadOnlyDictionary<GridMetric, MetricOverSeeds> Metrics { get; init; }

    public int N => ScoredSeeds.Count;
    public bool IsUnfinished => Queued + Running > 0;
    /// <summary>Runs that count towards the grid but not towards its statistics.</summary>
    public int Excluded => Queued + Running + Failed + Canceled + Unscored + MissingSeeds.Count;
}
