using System.Globalization;
using System.Text.Json;
using EmotionLab.Models.Experiments;
using EmotionLab.Worker.Api;
using EmotionLab.Worker.Grids;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// `submit` from a researcher's machine: the experiment or grid goes to the platform's API
/// (POST /api/experiments|grids) with the user's token, so it is theirs; with --wait the runs are
/// followed through /api/runs and the same lines and table are printed as on a node.
/// </summary>
public static class RemoteSubmission
{
    private static readonly string[] Finished = ["Succeeded", "Failed", "Canceled"];

    public static async Task<int> SubmitSpecAsync(PlatformApiClient api, FileInfo specFile, int[]? seeds, int? epochs, IReadOnlyList<string> settings, string? name,
        string? project, bool tinyModels, bool wait, TextWriter output, TextWriter errors, CancellationToken cancellation, TimeSpan? poll = null)
    {
        if (!specFile.Exists)
        {
            await errors.WriteLineAsync($"submit: {specFile.FullName} does not exist");
            return 2;
        }
        JsonElement spec;
        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(specFile.FullName, cancellation));
            spec = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            await errors.WriteLineAsync($"{specFile.Name}: not JSON: {e.Message}");
            return 1;
        }
        return await CallAsync(errors, specFile.Name, async () =>
        {
            using var submitted = await api.PostJsonAsync("/api/experiments", new
            {
                name = name ?? Path.GetFileNameWithoutExtension(specFile.Name), spec, seeds = seeds is { Length: > 0 } ? seeds : null, epochs, set = settings, project, tinyModels,
            }, cancellation);
            var experiment = submitted.RootElement.GetProperty("experiments")[0].GetInt64();
            var runIds = Ids(submitted.RootElement.GetProperty("runs"));
            await output.WriteLineAsync($"experiment: {experiment}");
            await output.WriteLineAsync($"runs: {string.Join(" ", runIds)}");
            if (!wait) return 0;

            await WaitUntilFinishedAsync(api, $"experiment={experiment}", poll, cancellation);
            var allSucceeded = true;
            foreach (var runId in runIds)
            {
                using var detail = await api.GetJsonAsync($"/api/runs/{runId}", cancellation);
                allSucceeded &= await PrintRunAsync(detail.RootElement, output);
            }
            return allSucceeded ? 0 : 1;
        });
    }

    public static async Task<int> SubmitTemplateAsync(PlatformApiClient api, string templateName, string? corpus, int[]? seeds, int? epochs, IReadOnlyList<string> settings,
        string? name, string? project, bool tinyModels, bool wait, TextWriter output, TextWriter errors, CancellationToken cancellation, TimeSpan? poll = null)
    {
        if (seeds is not [var count and > 0])
        {
            await errors.WriteLineAsync("submit: with --template, --seeds is one number K > 0: the grid's runs get seeds 0..K-1");
            return 2;
        }
        if (string.IsNullOrWhiteSpace(corpus))
        {
            await errors.WriteLineAsync($"submit: --template {templateName} needs --corpus NAME (an imported corpus)");
            return 2;
        }
        return await CallAsync(errors, "submit", async () =>
        {
            using var submitted = await api.PostJsonAsync("/api/grids", new
            {
                name, template = templateName, corpus, seeds = Enumerable.Range(0, count).ToArray(), epochs, set = settings, project, tinyModels,
            }, cancellation);
            var gridId = submitted.RootElement.GetProperty("grid").GetInt64();
            await output.WriteLineAsync($"grid: {gridId}");
            await output.WriteLineAsync($"runs: {string.Join(" ", Ids(submitted.RootElement.GetProperty("runs")))}");
            await output.FlushAsync(cancellation);
            if (!wait) return 0;

            var runs = await WaitUntilFinishedAsync(api, $"grid={gridId}", poll, cancellation);
            var (table, _) = await api.GetFileAsync(GridTableExport.ApiPath(gridId, GridTableFormat.Markdown, null, TableStatistics.Default), cancellation);
            await output.WriteLineAsync();
            await output.WriteAsync(System.Text.Encoding.UTF8.GetString(table));
            // The table counts runs that did not succeed; their reasons are here.
            foreach (var run in runs.Where(r => r.Status != "Succeeded").OrderBy(r => r.Id))
            {
                using var detail = await api.GetJsonAsync($"/api/runs/{run.Id}", cancellation);
                var error = detail.RootElement.GetProperty("run").GetProperty("error").GetString();
                await output.WriteLineAsync($"run {run.Id} ({run.Variant}, seed {run.Seed}): {run.Status}{(error is null ? "" : $" ({error})")}");
            }
            return runs.All(r => r.Status == "Succeeded") ? 0 : 1;
        });
    }

    private sealed record RunState(long Id, string Status, string Variant, int Seed);

    // Every page of the filtered runs list, again every poll, until none is queued or running.
    private static async Task<IReadOnlyList<RunState>> WaitUntilFinishedAsync(PlatformApiClient api, string filter, TimeSpan? poll, CancellationToken cancellation)
    {
        while (true)
        {
            var runs = new List<RunState>();
            string? next = $"/api/runs?{filter}&limit=500";
            while (next is not null)
            {
                using var page = await api.GetJsonAsync(next, cancellation);
                runs.AddRange(page.RootElement.GetProperty("runs").EnumerateArray().Select(r => new RunState(
                    r.GetProperty("id").GetInt64(), r.GetProperty("status").GetString()!, r.GetProperty("variant").GetString() ?? "", r.GetProperty("seed").GetInt32())));
                next = page.RootElement.GetProperty("next").GetString();
            }
            if (runs.All(r => Finished.Contains(r.Status))) return runs;
            await Task.Delay(poll ?? TimeSpan.FromSeconds(2), cancellation);
        }
    }

    // As a node's `submit --wait` prints a run: its status, the test scores at its best epoch, its error.
    private static async Task<bool> PrintRunAsync(JsonElement detail, TextWriter output)
    {
        var run = detail.GetProperty("run");
        var status = run.GetProperty("status").GetString();
        var best = run.GetProperty("bestEpoch") is { ValueKind: JsonValueKind.Number } b ? b.GetInt32() : (int?)null;
        var test = best is null ? (JsonElement?)null
            : detail.GetProperty("epochs").EnumerateArray().Where(e => e.GetProperty("epoch").GetInt32() == best && e.GetProperty("split").GetString() == "test")
                .Select(e => (JsonElement?)e).FirstOrDefault();
        var scores = test is { } t
            ? string.Create(CultureInfo.InvariantCulture, $" best epoch {best}: test WA {t.GetProperty("wa").GetDouble():F4} UA {t.GetProperty("ua").GetDouble():F4} WF1 {t.GetProperty("weightedF1").GetDouble():F4} MF1 {t.GetProperty("macroF1").GetDouble():F4}")
            : "";
        var error = run.GetProperty("error").GetString();
        await output.WriteLineAsync($"run {run.GetProperty("id").GetInt64()} seed {run.GetProperty("seed").GetInt32()}: {status}{scores}{(error is null ? "" : $" ({error})")}");
        return status == "Succeeded";
    }

    private static List<long> Ids(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt64())];

    // What the platform refused is printed as `submit` prints a node's problems: --set's and --tiny-models' under their options.
    private static async Task<int> CallAsync(TextWriter errors, string prefix, Func<Task<int>> call)
    {
        try
        {
            return await call();
        }
        catch (PlatformApiException e)
        {
            foreach (var problem in e.Problems)
            {
                var (field, message) = problem.IndexOf(": ", StringComparison.Ordinal) is var at and > 0 ? (problem[..at], problem[(at + 2)..]) : ("", problem);
                await errors.WriteLineAsync(field is SpecCompletion.Settings or SpecCompletion.TinyModels
                    ? $"submit: {SpecCompletion.CommandLineOption(field)}: {message}"
                    : $"{prefix}: {problem}");
            }
            return e.Status == 0 ? 2 : 1;
        }
    }
}
