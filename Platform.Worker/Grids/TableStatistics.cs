namespace EmotionLab.Worker.Grids;

/// <summary>
/// How a grid table states spread and significance: the interval after each mean, and whether the
/// p-values against the reference are Holm–Bonferroni adjusted over the variants (per metric) or
/// raw. Exports and the grid page adjust by default, since a grid compares many variants to one
/// reference; raw p-values are there on request.
/// </summary>
public sealed record TableStatistics(SpreadInterval Interval, bool Holm)
{
    public static TableStatistics Default { get; } = new(SpreadInterval.Std, Holm: true);

    /// <summary>The names `export --adjust` and the page's query use: holm|none.</summary>
    public const string HolmName = "holm";
    public const string NoneName = "none";

    public string AdjustName => Holm ? HolmName : NoneName;

    /// <summary>The statistics for a request's names, or the problem with one of them; null names keep the default.</summary>
    public static (TableStatistics? Statistics, string? Problem) Parse(string? interval, string? adjust)
    {
        var spread = interval is null ? Default.Interval : SpreadInterval.Find(interval);
        if (spread is null) return (null, $"interval must be {SpreadInterval.Names}, not '{interval}'");
        var holm = adjust?.Trim().ToLowerInvariant() switch
        {
            null => (bool?)Default.Holm,
            HolmName => true,
            NoneName => false,
            _ => null,
        };
        if (holm is null) return (null, $"adjust must be {HolmName}|{NoneName}, not '{adjust}'");
        return (new TableStatistics(spread, holm.Value), null);
    }
}
