using System.CommandLine;
using System.Text;
using EmotionLab.Data;
using EmotionLab.Data.Queries;
using Npgsql;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// `export --grid ID --format csv|md|latex [--reference VARIANT] [--interval std|se|ci] [--adjust holm|none] [--out FILE]`:
/// a grid's table for a paper, to stdout or a file.
/// </summary>
public static class ExportVerb
{
    public static Command Command()
    {
        var grid = new Option<long>("--grid") { Description = "The grid's id (the number in /grids/ID).", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "csv (fractions 0..1, full precision, for scripts), md (GitHub Markdown, %) or latex (booktabs table, %).", Required = true,
        };
        var reference = new Option<string?>("--reference") { Description = "The variant deltas and t-tests are against (default: the grid's reference)." };
        var interval = new Option<string?>("--interval")
        {
            Description = "What ± states: std (sample standard deviation over seeds, the default), se (standard error of the mean) or ci (95% confidence interval of the mean, Student's t).",
        };
        var adjust = new Option<string?>("--adjust") { Description = "holm (the default: Holm–Bonferroni over the variants compared with the reference) or none (raw p-values)." };
        var database = new Option<string?>("--database") { Description = "PostgreSQL connection string (default: ConnectionStrings__EmotionLab)." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the table to this file instead of stdout." };
        var export = new Command("export", "Write a grid's comparison (variants x WA/UA/WF1/MF1: mean ± spread, deltas, significance) as CSV, Markdown or LaTeX.")
            { grid, format, reference, interval, adjust, database, output };
        export.SetAction((result, cancellation) => RunAsync(result.GetValue(grid), result.GetValue(format)!, result.GetValue(reference),
            result.GetValue(database) ?? Environment.GetEnvironmentVariable("ConnectionStrings__EmotionLab"), result.GetValue(output),
            Console.Out, Console.Error, cancellation, result.GetValue(interval), result.GetValue(adjust)));
        return export;
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
        if (GridTableFormat.Find(formatName) is not { } format)
        {
            await errors.WriteLineAsync($"export: unknown format '{formatName}': use {GridTableFormat.Names}");
            return 2;
        }
        var (statistics, statisticsProblem) = TableStatistics.Parse(interval, adjust);
        if (statistics is null)
        {
            await errors.WriteLineAsync($"export: {statisticsProblem}");
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
