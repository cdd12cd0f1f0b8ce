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

    /// <summary>GET /api/runs|grids/{id}/figures/{figure}'s address in a format and size, with the options as the query parameters the API reads back: the pages' download links, and what `export --figure` fetches over the API.</summary>
    public string ApiPath(FigureFormat format, FigureSize size)
    {
        var path = RunId is { } runId ? $"/api/runs/{runId}/figures/{Figure}" : $"/api/grids/{GridId}/figures/{Figure}";
        var query = new List<KeyValuePair<string, string?>> { new("format", format.Name), new("size", size.Name) };
        switch (Figure)
        {
            case "loss":
                query.Add(new("smoothing", Smoothing.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case "matrix":
                query.Add(new("split", Split));
                if (Epoch is { } epoch) query.Add(new("epoch", epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (Normalised) query.Add(new("normalised", "true"));
                break;
            case "curves":
                query.Add(new("metric", Metric.CsvPrefix));
                break;
            case "matrices": // the variants' mean test matrices: no option
                break;
            default: // bars, sensitivity
                query.Add(new("metric", Metric.CsvPrefix));
                if (Figure == "bars") query.Add(new("interval", Interval.Name));
                if (Axis is { } axis) query.Add(new("axis", axis));
                break;
        }
        return path + Microsoft.AspNetCore.Http.QueryString.Create(query);
    }
}
