using System.Text;
using EmotionLab.Worker.Api;
using EmotionLab.Worker.Figures;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// `export` from a researcher's machine: the table or figure is fetched from the platform's API with
/// the user's token (the same bytes the pages download and a node's `export` writes), and written
/// where `export` writes it.
/// </summary>
public static class RemoteExport
{
    /// <summary>0 when written; 2 for a usage error or an unreachable platform; 1 when the platform refuses (no such grid or reference) or the file cannot be written.</summary>
    public static async Task<int> TableAsync(PlatformApiClient api, long gridId, string formatName, string? reference, string? interval, string? adjust, FileInfo? outFile,
        TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        var (format, statistics, usage) = GridTableExport.ParseOptions(formatName, interval, adjust);
        if (format is null || statistics is null)
        {
            await errors.WriteLineAsync($"export: {usage}");
            return 2;
        }
        var (file, failed) = await FetchAsync(api, GridTableExport.ApiPath(gridId, format, reference, statistics), errors, cancellation);
        if (file is null) return failed;
        if (outFile is null)
        {
            await output.WriteAsync(Encoding.UTF8.GetString(file.Bytes));
            return 0;
        }
        if (await WriteAsync(outFile.FullName, file.Bytes, errors, cancellation) is { } unwritten) return unwritten;
        await output.WriteLineAsync($"export: wrote grid {gridId} as {format.Name} to {outFile.FullName}");
        return 0;
    }

    /// <summary>As <see cref="ExportVerb.FigureAsync"/>: the figure under its own name, or --out.</summary>
    public static async Task<int> FigureAsync(PlatformApiClient api, long? gridId, long? runId, string figureName, string? formatName, string? sizeName, string? metricName,
        string? interval, double? smoothing, string? split, bool normalised, string? axis, int? epoch, FileInfo? outFile, TextWriter output, TextWriter errors,
        CancellationToken cancellation)
    {
        var (request, format, size, usage) = FigureRequest.Parse(runId, gridId, figureName, formatName, sizeName, metricName, interval, smoothing, split, normalised, axis, epoch);
        if (request is null)
        {
            await errors.WriteLineAsync($"export: {usage}");
            return 2;
        }
        var (file, failed) = await FetchAsync(api, request.ApiPath(format, size), errors, cancellation);
        if (file is null) return failed;
        var path = outFile?.FullName ?? Path.GetFullPath(file.Name ?? $"{figureName}.{format.Name}");
        if (await WriteAsync(path, file.Bytes, errors, cancellation) is { } unwritten) return unwritten;
        await output.WriteLineAsync($"export: wrote {figureName} of {(runId is { } r ? $"run {r}" : $"grid {gridId}")} ({size.Name} column, {format.Name}) to {path}");
        return 0;
    }

    private sealed record Fetched(byte[] Bytes, string? Name);

    // The file, or null with the exit code: 2 when the platform cannot be reached, 1 when it refused.
    private static async Task<(Fetched? File, int Failed)> FetchAsync(PlatformApiClient api, string path, TextWriter errors, CancellationToken cancellation)
    {
        try
        {
            var (bytes, name) = await api.GetFileAsync(path, cancellation);
            return (new Fetched(bytes, name), 0);
        }
        catch (PlatformApiException e)
        {
            foreach (var problem in e.Problems) await errors.WriteLineAsync($"export: {problem}");
            return (null, e.Status == 0 ? 2 : 1);
        }
    }

    private static async Task<int?> WriteAsync(string path, byte[] bytes, TextWriter errors, CancellationToken cancellation)
    {
        try
        {
            await File.WriteAllBytesAsync(path, bytes, cancellation);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"export: cannot write {path}: {e.Message}");
            return 1;
        }
    }
}
