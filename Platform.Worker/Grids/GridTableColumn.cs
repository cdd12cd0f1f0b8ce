using EmotionLab.Data.Queries;

namespace EmotionLab.Worker.Grids;

/// <summary>A metric column of the exported table: its short header as papers print it and what it means.</summary>
public sealed record GridTableColumn(GridMetric Metric, string Header, string Meaning, string CsvPrefix)
{
    /// <summary>WA, UA, WF1, MF1: the order of GridComparison.Metrics.</summary>
    public static IReadOnlyList<GridTableColumn> All { get; } = GridComparison.Metrics.Select(metric => metric switch
    {
        GridMetric.WA => new GridTableColumn(metric, "WA", "weighted accuracy", "wa"),
        GridMetric.UA => new GridTableColumn(metric, "UA", "unweighted accuracy", "ua"),
        GridMetric.WeightedF1 => new GridTableColumn(metric, "WF1", "weighted F1", "wf1"),
        GridMetric.MacroF1 => new GridTableColumn(metric, "MF1", "macro F1", "mf1"),
        _ => throw new InvalidOperationException($"no column for {metric}"),
    }).ToList();
}
