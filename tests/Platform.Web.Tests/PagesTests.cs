using System.Net;
using System.Text.RegularExpressions;
using EmotionLab.Data.Entities;
using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Web.Tests;

[Collection(nameof(WebAppFixture))]
public sealed class PagesTests(WebAppFixture app)
{
    private async Task<string> GetHtmlAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await app.Client.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Runs_page_is_prerendered_with_its_filters_from_the_url_and_its_table_comes_over_the_circuit()
    {
        var html = await GetHtmlAsync($"/runs?grid={app.Lab.GridId}&status=Failed");
        Assert.Contains("id=\"run-filters\"", html);
        Assert.Contains("id=\"runs-table\"", html);
        Assert.Contains("bcaf-ablation", html); // the grid's id in the URL shows as its name in the autocomplete
        Assert.Contains("_framework/blazor.web.js", html);
        Assert.DoesNotContain("htmx", html);
        Assert.DoesNotContain("bootstrap", html);
    }

    [Fact]
    public async Task Bad_filters_on_the_runs_page_are_400_with_the_field_named()
    {
        var html = await GetHtmlAsync("/runs?status=Sleeping", HttpStatusCode.BadRequest);
        Assert.Matches("<strong>status</strong>: &#x27;Sleeping&#x27; is not a run status", html);
        Assert.DoesNotContain("id=\"runs-table\"", html);
    }

    [Fact]
    public async Task Run_page_shows_the_metrics_tables_spec_and_its_figures_drawn_on_the_server()
    {
        var html = await GetHtmlAsync($"/runs/{app.Lab.SucceededRunId}");
        foreach (var split in new[] { "train", "validation", "test" })
        {
            var table = Regex.Match(html, $"data-split=\"{split}\"[^>]*>(.*?)</table>", RegexOptions.Singleline);
            Assert.True(table.Success, $"no metrics table for {split}");
            Assert.Equal(5, Regex.Matches(table.Value, "<tr data-epoch=").Count);
        }
        Assert.Contains("<tr data-epoch=\"4\" class=\"best-epoch\">", html);
        Assert.Contains("0.6300", html);
        Assert.Contains("data-status=\"Succeeded\"", html);
        Assert.Contains("&quot;fusion&quot;: &quot;concat&quot;", html); // pretty-printed spec
        // The three figures are inline SVG in the first response: no chart script, no second request.
        foreach (var figure in new[] { "loss-figure", "curves-figure", "matrix-figure" })
            Assert.Matches($"id=\"{figure}\"(.*?)<div class=\"figure\"><svg viewBox=", Regex.Replace(html, "\\s+", " "));
        Assert.DoesNotContain("echarts", html);
        // The loss figure draws the learning rate each step took on its right axis.
        Assert.Matches("id=\"loss-figure\".*?<text[^>]*>\\s*learning rate\\s*</text>", Regex.Replace(html, "\\s+", " "));
    }

    [Fact]
    public async Task A_failed_run_shows_its_error_and_a_running_one_its_progress()
    {
        var running = await GetHtmlAsync($"/runs/{app.Lab.RunningRunId}");
        Assert.Contains("data-status=\"Running\"", running);
        Assert.Equal(2, Regex.Matches(Regex.Match(running, "data-split=\"validation\".*?</table>", RegexOptions.Singleline).Value, "<tr data-epoch=").Count);
        Assert.Contains("run-cancel", running);

        var failed = await GetHtmlAsync($"/runs/{app.Lab.FailedRunId}");
        Assert.Contains("id=\"run-error\"", failed);
        Assert.Contains(SeededLab.FailedRunError, failed);
        Assert.Contains("run-retry", failed);
    }

    [Fact]
    public async Task Unknown_run_pages_are_404()
    {
        var html = await GetHtmlAsync("/runs/999999", HttpStatusCode.NotFound);
        Assert.Contains("There is nothing at <code>/runs/999999</code>", html);
    }

    [Fact]
    public async Task Workers_page_shows_the_nodes_that_are_up_from_hangfire_their_current_runs_and_the_gone_ones()
    {
        // Both heartbeats relative to now: the lab was seeded minutes before this test may run.
        await using (var db = app.Postgres.NewContext())
        {
            await db.WorkerNodes.Where(w => w.Name == SeededLab.FreshNode).ExecuteUpdateAsync(s => s.SetProperty(w => w.HeartbeatAt, DateTimeOffset.UtcNow));
            await db.WorkerNodes.Where(w => w.Name == SeededLab.StaleNode).ExecuteUpdateAsync(s => s.SetProperty(w => w.HeartbeatAt, DateTimeOffset.UtcNow.AddMinutes(-5)));
        }
        // The fresh node's Hangfire server, announced as a `serve` process on a GPU box announces it.
        var serverId = $"{SeededLab.FreshNode}:4242:{Guid.NewGuid()}";
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        connection.AnnounceServer(serverId, new ServerContext { WorkerCount = 2, Queues = ["gpu", "shared"] });
        try
        {
            var html = await GetHtmlAsync("/workers");
            var fresh = Regex.Match(html, $"<tr data-worker=\"{SeededLab.FreshNode}\"[^>]*>(.*?)</tr>", RegexOptions.Singleline).Value;
            var stale = Regex.Match(html, $"<tr data-worker=\"{SeededLab.StaleNode}\"[^>]*>(.*?)</tr>", RegexOptions.Singleline).Value;
            var web = Regex.Match(html, "<tr data-worker=\"[^\"]*-web\"[^>]*>(.*?)</tr>", RegexOptions.Singleline).Value; // the app's own in-process node
            Assert.Contains("data-up=\"true\"", fresh);
            Assert.Contains($"href=\"/runs/{app.Lab.RunningRunId}\"", fresh);
            Assert.DoesNotContain($"href=\"/runs/{app.Lab.SucceededRunId}\"", fresh); // finished on that node: not current
            Assert.Contains("cuda:0, cuda:1", fresh);
            Assert.Contains("gpu, shared", fresh);
            Assert.Contains("1 / 2", fresh);
            Assert.DoesNotContain("gone", fresh);
            Assert.Contains("data-up=\"false\"", stale);
            Assert.Contains("gone", stale);
            Assert.Contains("5 min ago", stale);
            Assert.Contains("cpu, shared", web);
            Assert.Contains("href=\"/hangfire\"", html);
        }
        finally
        {
            connection.RemoveServer(serverId);
        }
    }

    [Fact]
    public async Task The_queue_dashboard_is_mounted_read_only()
    {
        var html = await GetHtmlAsync("/hangfire");
        Assert.Contains("EmotionLab queue", html);
        var servers = await GetHtmlAsync("/hangfire/servers");
        Assert.Contains("-web", servers); // the in-process node's Hangfire server
    }

    [Fact]
    public async Task Dashboard_counts_runs_per_status()
    {
        var html = await GetHtmlAsync("/");
        int Count(string status) => int.Parse(Regex.Match(html, $"data-status-count=\"{status}\"[^>]*>(\\d+)<").Groups[1].Value);
        Assert.Equal(31, Count("Succeeded"));
        Assert.Equal(16, Count("Failed"));
        Assert.Equal(15, Count("Canceled"));
        Assert.Equal(1, Count("Running"));
        Assert.Equal(1, Count("Queued"));
    }
}
