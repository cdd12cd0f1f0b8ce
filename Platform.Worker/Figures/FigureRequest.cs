using EmotionLab.Worker.Grids;

namespace EmotionLab.Worker.Figures;

/// <summary>
/// Which figure to draw: of a run (loss, curves, matrix) or of a grid (bars, sensitivity), and its
/// options. The page's downloads and `export --figure` both build figures from one of these.
/// </summary>
public sealed record FigureRequest(long? RunId, long? GridId, string Figure)
{
    public static IReadOnlyList<string> RunFigures { get; } = ["loss", "curves", "matrix"];
    public static IReadOnlyList<string> GridFigures { get; } = ["bars", "sensitivity"];

    /// <summary>curves, bars and sensitivity: the metric drawn (wa, ua, wf1, mf1).</summary>
    public GridTableColumn Metric { get; init; } = GridTableColumn.All.Single(c => c.CsvPrefix == "wf1");
    /// <summary>bars: what the error bars state.</summary>
    public SpreadInterval Interval { get; init; } = SpreadInterval.Std;
    /// <summary>loss: the moving average's weight of the past, in [0, 1).</summary>
    public double Smoothing { get; init; } = 0.9;
    /// <summary>matrix: the split, at the run's best epoch (its latest when it has none).</summary>
    public string Split { get; init; } = "test";
    /// <summary>matrix: each row as fractions of its true label rather than counts.</summary>
    public bool Normalised { get; init; }
    /// <summary>sensitivity: the numeric axis along x (default: the grid's first numeric axis).</summary>
    public string? Axis { get; init; }
}
