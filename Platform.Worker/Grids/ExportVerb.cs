using System.CommandLine;
using System.Text;
using EmotionLab.Data;
using EmotionLab.Data.Queries;
using EmotionLab.Worker.Api;
using EmotionLab.Worker.Figures;
using Npgsql;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// `export --grid ID --format csv|md|latex [--reference VARIANT] [--interval std|se|ci] [--adjust holm|none] [--out FILE]`:
/// a grid's table for a paper, to stdout or a file; `export --grid ID --figure bars|sensitivity` or
/// `export --run ID --figure loss|curves|matrix [--format svg|png] [--size single|double] [--out FILE]`: a figure.
/// From a researcher's machine it reads through the platform's API with their token (`--url`, `--token`:
/// <see cref="RemoteExport"/>); a worker node may read the database directly (`--database`).
/// </summary>
public static class ExportVerb
{
    public static Command Command()
    {
        var grid = new Option<long?>("--grid") { Description = "The grid's id (the number in /grids/ID)." };
        var run = new Option<long?>("--run") { Description = "The run's id (the number in /runs/ID), for its figures." };
        var format = new Option<string?>("--format")
        {
            Description = "A table: csv (fractions 0..1, full precision, for scripts), md (GitHub Markdown, %) or latex (booktabs table, %). A figure: svg (the default) or png (300 dpi).",
        };
        var figure = new Option<string?>("--figure")
        {
            Description = $"Write a figure instead of the table: of a grid {string.Join("|", FigureRequest.GridFigures)}, of a run {string.Join("|", FigureRequest.RunFigures)}.",
        };
        var metric = new Option<string?>("--metric") { Description = "The figure's metric: wa, ua, wf1 (the default) or mf1." };
        var size = new Option<string?>("--size") { Description = "The figure's width: single (one paper column, 3.5 in; the default) or double (7.16 in)." };
        var smoothing = new Option<double?>("--smoothing") { Description = "loss: the moving average's weight of the past, 0 to 0.99 (default 0.9)." };
        var split = new Option<string?>("--split") { Description = "matrix: the split (default test)." };
        var epoch = new Option<int?>("--epoch") { Description = "matrix: the epoch (default: the run's best epoch, its latest when it has none)." };
        var normalised = new Option<bool>("--normalised") { Description = "matrix: each row as fractions of its true label." };
        var axis = new Option<string?>("--axis") { Description = "sensitivity: the numeric axis along x (default: the grid's first)." };
        var reference = new Option<string?>("--reference") { Description = "The variant deltas and t-tests are against (default: the grid's reference)." };
        var interval = new Option<string?>("--interval")
        {
            Description = "What ± states (and the bars' error bars): std (sample standard deviation over seeds, the default), se (standard error of the mean) or ci (95% confidence interval of the mean, Student's t).",
        };
        var adjust = new Option<string?>("--adjust") { Description = "holm (the default: Holm–Bonferroni over the variants compared with the reference) or none (raw p-values)." };
        var database = new Option<string?>("--database") { Description = $"A worker node: read the platform's PostgreSQL directly, with this connection string (or {PlatformTarget.DatabaseVariable})." };
        var url = new Option<string?>("--url") { Description = $"The platform's address (default: {PlatformTarget.UrlVariable}, or {PlatformTarget.DefaultUrl}, where scripts/start.sh serves it)." };
        var token = new Option<string?>("--token") { Description = $"Your API token, made on the platform's account page (default: {PlatformTarget.TokenVariable})." };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file: a table goes to stdout without it, a figure to its own name in this folder." };
        var export = new Command("export", "Write a grid's comparison (variants x WA/UA/WF1/MF1: mean ± spread, deltas, significance) as CSV, Markdown or LaTeX, or a grid's or run's figure as SVG or PNG.")
            { grid, run, format, figure, metric, size, smoothing, split, epoch, normalised, axis, reference, interval, adjust, url, token, database, output };
        export.SetAction(async (result, cancellation) =>
        {
            var (target, problem) = PlatformTarget.Resolve("export", result.GetValue(url), result.GetValue(token), result.GetValue(database));
            if (target is null)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }
            if (target.IsApi)
            {
                using var api = target.OpenApi();
                if (result.GetValue(figure) is { } remoteFigure)
                    return await RemoteExport.FigureAsync(api, result.GetValue(grid), result.GetValue(run), remoteFigure, result.GetValue(format), result.GetValue(size),
                        result.GetValue(metric), result.GetValue(interval), result.GetValue(smoothing), result.GetValue(split), result.GetValue(normalised), result.GetValue(axis),
                        result.GetValue(epoch), result.GetValue(output), Console.Out, Console.Error, cancellation);
                if (result.GetValue(grid) is not { } remoteGrid || result.GetValue(format) is not { } remoteFormat) return await UsageAsync();
                return await RemoteExport.TableAsync(api, remoteGrid, remoteFormat, result.GetValue(reference), result.GetValue(interval), result.GetValue(adjust),
                    result.GetValue(output), Console.Out, Console.Error, cancellation);
            }
            var connectionString = target.ConnectionString;
            if (result.GetValue(figure) is { } figureName)
                return await FigureAsync(result.GetValue(grid), result.GetValue(run), figureName, result.GetValue(format), result.GetValue(metric), result.GetValue(size),
                    result.GetValue(smoothing), result.GetValue(split), result.GetValue(normalised), result.GetValue(axis), result.GetValue(interval),
                    connectionString, result.GetValue(output), Console.Out, Console.Error, cancellation, result.GetValue(epoch));
            if (result.GetValue(grid) is not { } gridId || result.GetValue(format) is not { } formatName) return await UsageAsync();
            return await RunAsync(gridId, formatName, result.GetValue(reference), connectionString, result.GetValue(output),
                Console.Out, Console.Error, cancellation, result.GetValue(interval), result.GetValue(adjust));
        });
        return export;

        static async Task<int> UsageAsync()
        {
            await Console.Error.WriteLineAsync("export: a table needs --grid ID and --format csv|md|latex; a figure needs --figure (see --help)");
            return 2;
        }
    }

    /// <summary>`export --figure`: 0 when written; 2 for a usage error; 1 when the run, the grid or what the figure needs is missing, or the file cannot be written.</summary>
    public static async Task<int> FigureAsync(long? gridId, long? runId, string figureName, string? formatName, string? metricName, string? sizeName,
        double? smoothing, string? split, bool normalised, string? axis, string? interval, string? connectionString, FileInfo? outFile,
        TextWriter output, TextWriter errors, CancellationToken cancellation, int? epoch = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await errors.WriteLineAsync("export: no database: pass --database or set ConnectionStrings__EmotionLab");
            return 2;
        }
        var (request, format, size, usage) = FigureRequest.Parse(runId, gridId, figureName, formatName, sizeName, metricName, interval, smoothing, split, normalised, axis, epoch);
        if (request is null)
        {
            await errors.WriteLineAsync($"export: {usage}");
            return 2;
        }

        Figure? drawn;
        string? problem;
        try
        {
            await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
            (drawn, problem) = await new FigureExport(db).BuildAsync(request, cancellation);
        }
        catch (NpgsqlException e)
        {
            await errors.WriteLineAsync($"export: cannot read from the database: {e.Message}");
            return 1;
        }
        if (drawn is null)
        {
            await errors.WriteLineAsync($"export: {problem}");
            return 1;
        }
        var path = outFile?.FullName ?? Path.GetFullPath(drawn.FileName(format));
        try
        {
            await File.WriteAllBytesAsync(path, drawn.Render(format, size), cancellation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"export: cannot write {path}: {e.Message}");
            return 1;
        }
        await output.WriteLineAsync($"export: wrote {figureName} of {(runId is { } r ? $"run {r}" : $"grid {gridId}")} ({size.Name} column, {format.Name}) to {path}");
        return 0;
    }

    /// <summary>0 when written; 2 for a usage error (no database, unknown format); 1 when the grid or the reference does not exist, or the database or the file cannot be used.</summary>
    public static async Task<int> RunAsync(long gridId, string formatName, string? reference, string? connectionString, FileInfo? outFile,
        TextWriter output, TextWriter errors, CancellationToken cancellation, string? interval = null, string? adjust = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await errors.WriteLineAsync("export: no database: pass --database or set ConnectionStrings__EmotionLab");
            return 2;
        }
        var (format, statistics, usage) = GridTableExport.ParseOptions(formatName, interval, adjust);
        if (format is null || statistics is null)
        {
            await errors.WriteLineAsync($"export: {usage}");
            return 2;
        }

        GridResults? results;
        try
        {
            await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
            results = await new GridResultsQuery(db).ExecuteAsync(gridId, cancellation);
        }
        catch (NpgsqlException e)
        {
            await errors.WriteLineAsync($"export: cannot read grid {gridId} from the database: {e.Message}");
            return 1;
        }
        if (results is null)
        {
            await errors.WriteLineAsync($"export: there is no grid {gridId}");
            return 1;
        }
        if (GridTableExport.ReferenceProblem(results, reference) is { } problem)
        {
            await errors.WriteLineAsync($"export: {problem}");
            return 1;
        }

        var text = GridTableExport.Write(results, reference, format, statistics);
        if (outFile is null)
        {
            await output.WriteAsync(text);
            return 0;
        }
        try
        {
            await File.WriteAllTextAsync(outFile.FullName, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"export: cannot write {outFile.FullName}: {e.Message}");
            return 1;
        }
        await output.WriteLineAsync($"export: wrote grid {gridId} ({results.Variants.Count} variants) as {format.Name} to {outFile.FullName}");
        return 0;
    }
}
