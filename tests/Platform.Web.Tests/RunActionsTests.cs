using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>Cancel and retry from the pages (Chromium) and the JSON API on runs kept Queued by a paused worker, and the log tail on the run page.</summary>
[Collection(nameof(TrainingLabFixture))]
public sealed class RunActionsTests(TrainingLabFixture lab)
{
    private async Task<long> QueueTextRunAsync(string name)
    {
        var spec = new ExperimentSpec
        {
            Corpus = TrainingLabFixture.CorpusName, LabelSet = "meld7", Modalities = Modalities.Text, Epochs = 2,
            Baselines = new BaselinesConfig { Variant = BaselinesConfig.TextVariant },
        };
        var result = await lab.Services.GetRequiredService<ExperimentSubmission>().SubmitExperimentAsync(name, spec, [1]);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        return result.RunIds.Single();
    }

    [Fact]
    public async Task Cancel_asks_first_then_says_what_it_did_and_the_table_and_run_page_follow_without_a_reload()
    {
        await using var paused = await lab.PauseWorkerAsync();
        var runId = await QueueTextRunAsync("browser actions");
        var experimentId = (await lab.RunAsync(runId)).ExperimentId;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, lab.Session);
        await page.GotoAsync(new Uri(lab.BaseAddress, $"/runs?experiment={experimentId}").ToString());
        await Chromium.WaitForCircuitAsync(page);
        var status = page.Locator("#runs-table .status-chip");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "Queued");

        // Keeping it changes nothing.
        await page.Locator("#runs-table .run-cancel").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync($"Cancel run #{runId}?");
        await Chromium.ScreenshotAsync(page, "run-cancel-dialog.png", fullPage: false);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(RunStatus.Queued, (await lab.RunAsync(runId)).Status);

        await page.Locator("#runs-table .run-cancel").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"Run #{runId} canceled");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "Canceled");
        Assert.Equal(RunStatus.Canceled, (await lab.RunAsync(runId)).Status);
        Assert.False(await lab.IsOnQueueAsync(runId));

        // A change made elsewhere (the JSON API) reaches the open run page through the server's change feed.
        await page.GotoAsync(new Uri(lab.BaseAddress, $"/runs/{runId}").ToString());
        await Chromium.WaitForCircuitAsync(page);
        var summary = page.Locator("#run-summary");
        await Assertions.Expect(summary).ToHaveAttributeAsync("data-status", "Canceled");
        using (var retry = await lab.Client.PostAsync($"/api/runs/{runId}/retry", null)) retry.EnsureSuccessStatusCode();
        try { await Assertions.Expect(summary).ToHaveAttributeAsync("data-status", "Queued"); }
        catch (PlaywrightException e)
        {
            var changes = lab.Services.GetRequiredService<EmotionLab.Web.Live.LabChanges>();
            throw new Xunit.Sdk.XunitException($"{e.Message}\nThe run is {(await lab.RunAsync(runId)).Status} in the database; the change feed has published {changes.Published} changes, and is {changes.Doing}.\nThe app's warnings:\n{lab.Logs.Warnings()}\n{string.Join("\n", lab.Logs.Everything.Where(l => l.Contains("Looked at the runs")).TakeLast(40))}");
        }
        Assert.True(await lab.IsOnQueueAsync(runId));

        // Retry from the page, after a cancel from it: the snackbar says so and the page follows.
        await page.Locator("#run-summary .run-cancel").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        await Assertions.Expect(summary).ToHaveAttributeAsync("data-status", "Canceled");
        await page.Locator("#run-summary .run-retry").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync($"Run #{runId} is queued again");
        await Assertions.Expect(summary).ToHaveAttributeAsync("data-status", "Queued");
        Assert.Empty(problems);
        using var cancel = await lab.Client.PostAsync($"/api/runs/{runId}/cancel", null);
    }

    [Fact]
    public async Task Api_cancel_and_retry_answer_with_the_new_status_409_when_it_does_not_apply_and_404()
    {
        await using var paused = await lab.PauseWorkerAsync();
        var runId = await QueueTextRunAsync("api actions");

        async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string url)
        {
            using var response = await lab.Client.PostAsync(url, null);
            return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
        }

        var refused = await PostAsync($"/api/runs/{runId}/retry");
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal($"Run {runId} is Queued; only Failed or Canceled runs can be retried.", refused.Body.GetProperty("detail").GetString());

        var canceled = await PostAsync($"/api/runs/{runId}/cancel");
        Assert.Equal(HttpStatusCode.OK, canceled.Status);
        Assert.Equal("Canceled", canceled.Body.GetProperty("status").GetString());
        Assert.False(await lab.IsOnQueueAsync(runId));
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/api/runs/{runId}/cancel")).Status);

        var retried = await PostAsync($"/api/runs/{runId}/retry");
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal("Queued", retried.Body.GetProperty("status").GetString());
        Assert.True(await lab.IsOnQueueAsync(runId));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/runs/{runId}/cancel")).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("/api/runs/999999/cancel")).Status);
    }

    [Fact]
    public async Task The_run_page_shows_the_last_200_lines_of_the_runs_log_file()
    {
        await using var paused = await lab.PauseWorkerAsync();
        var runId = await QueueTextRunAsync("log tail");
        Assert.Contains("No log yet", await lab.Client.GetStringAsync($"/runs/{runId}"));

        var logPath = Path.Combine(lab.ArtifactRoot, "runs", runId.ToString(), "trainer.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        await File.WriteAllLinesAsync(logPath, Enumerable.Range(1, 500).Select(i => $"epoch line {i} <ok>"));
        await using (var db = lab.Postgres.NewContext())
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.LogPath, logPath));

        var tail = await lab.Client.GetStringAsync($"/runs/{runId}");
        var lines = WebUtility.HtmlDecode(Regex.Match(tail, "<pre id=\"run-log-lines\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value).Split('\n');
        Assert.Equal(Enumerable.Range(301, 200).Select(i => $"epoch line {i} <ok>"), lines);
        Assert.Contains("last 200 lines", tail);

        File.Delete(logPath);
        Assert.Contains("There is no log file at", await lab.Client.GetStringAsync($"/runs/{runId}"));
        using var cancel = await lab.Client.PostAsync($"/api/runs/{runId}/cancel", null);
    }
}
