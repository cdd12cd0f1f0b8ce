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

namespace EmotionLab.Web.Tests;

/// <summary>Cancel and retry over HTTP (htmx fragments and the JSON API) on runs kept Queued by a paused worker, and the log tail fragment.</summary>
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

    /// <summary>The token a page gives htmx (App.razor's hx-headers on the body).</summary>
    private static string HtmxToken(string html)
    {
        var headers = HtmlForm.Attribute(Regex.Match(html, "<body[^>]*>").Value, "hx-headers");
        Assert.NotNull(headers);
        using var json = JsonDocument.Parse(headers);
        return json.RootElement.GetProperty("RequestVerificationToken").GetString()!;
    }

    [Fact]
    public async Task Htmx_cancel_and_retry_need_the_pages_token_and_answer_with_the_row_or_the_summary()
    {
        await using var paused = await lab.PauseWorkerAsync();
        var runId = await QueueTextRunAsync("htmx actions");
        using var session = new BrowserSession(lab.BaseAddress);
        var page = await session.GetHtmlAsync($"/runs?experiment={(await lab.RunAsync(runId)).ExperimentId}");
        Assert.Matches($"<tr data-run-id=\"{runId}\"[^>]*>.*?hx-post=\"/runs/{runId}/cancel\\?view=row\"", Regex.Replace(page, "\\s+", " "));
        var token = HtmxToken(page);

        using (var forged = await session.HtmxPostAsync($"/runs/{runId}/cancel", token: null))
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(RunStatus.Queued, (await lab.RunAsync(runId)).Status);

        using (var cancel = await session.HtmxPostAsync($"/runs/{runId}/cancel?view=row", token))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            Assert.Equal("run-changed", cancel.Headers.GetValues("HX-Trigger").Single());
            var row = (await cancel.Content.ReadAsStringAsync()).Trim();
            Assert.StartsWith($"<tr data-run-id=\"{runId}\" id=\"run-row-{runId}\"", row);
            Assert.Contains("data-status=\"Canceled\"", row);
            Assert.Contains($"hx-post=\"/runs/{runId}/retry?view=row\"", row);
            Assert.DoesNotContain("hx-trigger", row); // finished: the row does not poll
        }
        Assert.Equal(RunStatus.Canceled, (await lab.RunAsync(runId)).Status);
        Assert.False(await lab.IsOnQueueAsync(runId));

        using (var retry = await session.HtmxPostAsync($"/runs/{runId}/retry?view=summary", token))
        {
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            var summary = (await retry.Content.ReadAsStringAsync()).Trim();
            Assert.StartsWith("<section id=\"run-summary\" data-status=\"Queued\"", summary);
            Assert.Contains($"hx-get=\"/runs/{runId}/summary\" hx-trigger=\"every 2s\"", summary);
            Assert.Contains($"hx-post=\"/runs/{runId}/cancel?view=summary\"", summary);
        }
        Assert.Equal(RunStatus.Queued, (await lab.RunAsync(runId)).Status);
        Assert.True(await lab.IsOnQueueAsync(runId));

        // A retried row polls itself while it is active: the table around it may not be polling.
        using (var row = await session.HtmxPostAsync($"/runs/{runId}/cancel", token))
            Assert.Contains("data-status=\"Canceled\"", await row.Content.ReadAsStringAsync());
        using (var retriedRow = await session.HtmxPostAsync($"/runs/{runId}/retry", token))
            Assert.Contains($"hx-get=\"/runs/{runId}/row\" hx-trigger=\"every 2s\"", await retriedRow.Content.ReadAsStringAsync());
        using (var cancelAgain = await session.HtmxPostAsync($"/runs/{runId}/cancel", token))
            Assert.Equal(HttpStatusCode.OK, cancelAgain.StatusCode);

        // Canceling a finished run changes nothing: the row shows how it stands, and no change event fires.
        using (var noop = await session.HtmxPostAsync($"/runs/{runId}/cancel", token))
        {
            Assert.Equal(HttpStatusCode.OK, noop.StatusCode);
            Assert.False(noop.Headers.Contains("HX-Trigger"));
        }
        using (var badView = await session.HtmxPostAsync($"/runs/{runId}/cancel?view=page", token))
            Assert.Equal(HttpStatusCode.BadRequest, badView.StatusCode);
        using (var missing = await session.HtmxPostAsync("/runs/999999/retry", token))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
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
    public async Task Log_fragment_shows_the_last_200_lines_of_the_runs_log_file()
    {
        await using var paused = await lab.PauseWorkerAsync();
        var runId = await QueueTextRunAsync("log tail");
        using var session = new BrowserSession(lab.BaseAddress);
        var noLog = await session.GetHtmlAsync($"/runs/{runId}/log");
        Assert.StartsWith("<section id=\"run-log\"", noLog.Trim());
        Assert.Contains("No log yet", noLog);
        Assert.Contains($"hx-get=\"/runs/{runId}/log\" hx-trigger=\"every 2s\"", noLog); // Queued: it polls

        var logPath = Path.Combine(lab.ArtifactRoot, "runs", runId.ToString(), "trainer.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        await File.WriteAllLinesAsync(logPath, Enumerable.Range(1, 500).Select(i => $"epoch line {i} <ok>"));
        await using (var db = lab.Postgres.NewContext())
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.LogPath, logPath));

        var tail = await session.GetHtmlAsync($"/runs/{runId}/log");
        var lines = WebUtility.HtmlDecode(Regex.Match(tail, "<pre[^>]*id=\"run-log-lines\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value).Split('\n');
        Assert.Equal(Enumerable.Range(301, 200).Select(i => $"epoch line {i} <ok>"), lines);
        Assert.Contains("last 200 lines", tail);

        var runPage = await session.GetHtmlAsync($"/runs/{runId}");
        Assert.Contains("epoch line 500 &lt;ok&gt;", runPage);

        File.Delete(logPath);
        Assert.Contains("There is no log file at", await session.GetHtmlAsync($"/runs/{runId}/log"));
        using var missing = await lab.Client.GetAsync("/runs/999999/log");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var cancel = await lab.Client.PostAsync($"/api/runs/{runId}/cancel", null);
    }
}
