using EmotionLab.Worker.Grids;

namespace EmotionLab.Worker.Figures;

/// <summary>
/// Which figure to draw: of a run (loss, curves, matrix) or of a grid (bars, sensitivity, matrices), and its
/// options. The page's downloads and `export --figure` both build figures from one of these.
/// </summary>
public sealed record FigureRequest(long? RunId, long? GridId, string Figure)
{
    public static IReadOnlyList<string> RunFigures { get; } = ["loss", "curves", "matrix"];
    public static IReadOnlyList<string> GridFigures { get; } = ["bars", "sensitivity", "matrices"];

    /// <summary>curves, bars and sensitivity: the metric drawn (wa, ua, wf1, mf1).</summary>
    public GridTableColumn Metric { get; init; } = GridTableColumn.All.Single(c => c.CsvPrefix == "wf1");
    /// <summary>bars: what the error bars state.</summary>
    public SpreadInterval Interval { get; init; } = SpreadInterval.Std;
    /// <summary>loss: the moving average's weight of the past, in [0, 1).</summary>
    public double Smoothing { get; init; } = 0.9;
    /// <summary>matrix: the split.</summary>
    public string Split { get; init; } = "test";
    /// <summary>matrix: the epoch (default: the run's best epoch, its latest when it has none).</summary>
    public int? Epoch { get; init; }
    /// <summary>matrix: each row as fractions of its true label rather than counts.</summary>
    public bool Normalised { get; init; }
    /// <summary>sensitivity: the numeric axis along x (default: the grid's first numeric axis).</summary>
    public string? Axis { get; init; }

    /// <summary>
    /// A request as the CLI's options or a download link's query spell it (null: the default), with
    /// the format and size to render; or what is wrong with it, worded for either.
    /// </summary>
    public static (FigureRequest? Request, FigureFormat Format, FigureSize Size, string? Problem) Parse(long? runId, long? gridId, string figure,
        string? format = null, string? size = null, string? metric = null, string? interval = null, double? smoothing = null,
        string? split = null, bool normalised = false, string? axis = null, int? epoch = null)
    {
        (FigureRequest?, FigureFormat, FigureSize, string?) Problem(string problem) => (null, FigureFormat.Svg, FigureSize.Single, problem);
        if ((gridId is null) == (runId is null)) return Problem("a figure is of a grid or of a run: give --grid ID or --run ID");
        if (FigureFormat.Find(format ?? FigureFormat.Svg.Name) is not { } figureFormat) return Problem($"unknown figure format '{format}': use svg or png");
        if (FigureSize.Find(size ?? FigureSize.Single.Name) is not { } figureSize) return Problem($"unknown size '{size}': use single or double");
        if (GridTableColumn.All.FirstOrDefault(c => c.CsvPrefix == (metric ?? "wf1")) is not { } column)
            return Problem($"unknown metric '{metric}': use {string.Join(", ", GridTableColumn.All.Select(c => c.CsvPrefix))}");
        if (SpreadInterval.Find(interval ?? SpreadInterval.Std.Name) is not { } spread) return Problem($"unknown interval '{interval}': use {SpreadInterval.Names}");
        if (smoothing is < 0 or >= 1) return Problem($"smoothing is {smoothing}: give a number from 0 (none) to below 1");
        if (epoch is < 1) return Problem($"epoch {epoch}: epochs count from 1");
        var request = new FigureRequest(runId, gridId, figure)
        {
            Metric = column, Interval = spread, Smoothing = smoothing ?? 0.9, Split = split ?? "test", Normalised = normalised, Axis = axis, Epoch = epoch,
        };
        return (request, figureFormat, figureSize, null);
    }
}
