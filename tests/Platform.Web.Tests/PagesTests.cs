using System.Net;
using System.Text.RegularExpressions;
using EmotionLab.Data.Entities;
using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Web.Tests;

[Collection(nameof(WebAppFixture))]
public sealed partial class PagesTests(WebAppFixture app)
{
    private async Task<string> GetHtmlAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await app.Client.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static long[] RowIds(string html) => [.. RunRow().Matches(html).Select(m => long.Parse(m.Groups[1].Value))];

    private static string[] Badges(string html) => [.. StatusBadge().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<tr data-run-id=\"(\\d+)\"")]
    private static partial Regex RunRow();

    [GeneratedRegex("class=\"badge [^\"]*status-badge\" data-status=\"(\\w+)\"")]
    private static partial Regex StatusBadge();

    [Fact]
    public async Task Runs_page_lists_the_newest_runs_with_status_badges_and_polls_while_runs_are_active()
    {
        var lab = app.Lab;
        var html = await GetHtmlAsync("/runs");
        var ids = RowIds(html);
        Assert.Equal(50, ids.Length);
        Assert.Equal([lab.FailedRunId, lab.QueuedRunId, lab.RunningRunId, lab.SucceededRunId], ids[..4]);
        Assert.Equal(["Failed", "Queued", "Running", "Succeeded"], Badges(html)[..4]);
        Assert.Contains("concat late fusion", html);
        Assert.Contains("bcaf-ablation", html);
        Assert.Contains("w/o BAN", html);
        Assert.Contains("0.6300", html); // the finished run's test weighted F1 at its best validation epoch
        Assert.Contains("hx-get=\"/runs/rows\" hx-trigger=\"every 2s\"", html);
        Assert.Contains($"href=\"/runs?before={ids[^1]}\"", html);
        Assert.Contains("src=\"lib/htmx.min.js\"", html);
    }

    [Fact]
    public async Task Runs_page_filters_by_status_pages_on_and_stops_polling_when_nothing_is_active()
    {
        var html = await GetHtmlAsync($"/runs?status=Failed&grid={app.Lab.GridId}&limit=10");
        var failed = app.Lab.GridRuns.Where(r => r.Status == RunStatus.Failed).Select(r => r.Id).OrderDescending().ToArray();
        Assert.Equal(failed[..10], RowIds(html));
        Assert.All(Badges(html), b => Assert.Equal("Failed", b));
        Assert.DoesNotContain("hx-trigger", html);

        var second = await GetHtmlAsync($"/runs?status=Failed&grid={app.Lab.GridId}&limit=10&before={failed[9]}");
        Assert.Equal(failed[10..], RowIds(second));
        Assert.DoesNotContain("id=\"next-page\"", second);
    }

    [Fact]
    public async Task Rows_partial_renders_just_the_table_body()
    {
        var html = await GetHtmlAsync("/runs/rows?family=baselines");
        Assert.StartsWith("<tbody id=\"run-rows\"", html.TrimStart());
        Assert.DoesNotContain("<html", html);
        Assert.Equal([app.Lab.FailedRunId, app.Lab.QueuedRunId, app.Lab.RunningRunId, app.Lab.SucceededRunId], RowIds(html));
        Assert.Contains("hx-get=\"/runs/rows?family=baselines\"", html);

        var finishedOnly = await GetHtmlAsync("/runs/rows?family=baselines&status=Succeeded");
        Assert.Equal([app.Lab.SucceededRunId], RowIds(finishedOnly));
        Assert.DoesNotContain("hx-get", finishedOnly);

        using var bad = await app.Client.GetAsync("/runs/rows?status=Sleeping");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Bad_filters_on_the_runs_page_are_400_with_the_field_named()
    {
        var html = await GetHtmlAsync("/runs?status=Sleeping", HttpStatusCode.BadRequest);
        Assert.Matches("<strong>status</strong>: &#x27;Sleeping&#x27; is not a run status", html);
        Assert.DoesNotContain("data-run-id", html);
    }

    [Fact]
    public async Task Run_page_shows_the_metrics_tables_spec_and_chart_containers()
    {
        var html = await GetHtmlAsync($"/runs/{app.Lab.SucceededRunId}");
        foreach (var split in new[] { "train", "validation", "test" })
        {
            var table = Regex.Match(html, $"<table class=\"[^\"]*epoch-metrics\" data-split=\"{split}\">(.*?)</table>", RegexOptions.Singleline);
            Assert.True(table.Success, $"no metrics table for {split}");
            Assert.Equal(5, Regex.Matches(table.Value, "<tr data-epoch=").Count);
        }
        Assert.Contains("<tr data-epoch=\"4\" class=\"table-success\">", html);
        Assert.Contains("0.6300", html);
        Assert.Contains("data-status=\"Succeeded\"", html);
        Assert.Contains("&quot;fusion&quot;: &quot;concat&quot;", html); // pretty-printed spec
        Assert.Contains("id=\"confusion-chart\"", html);
        Assert.Contains("id=\"loss-chart\"", html);
        Assert.DoesNotContain("hx-trigger", html); // finished: nothing to refresh
    }

    [Fact]
    public async Task Running_run_page_polls_its_summary_and_failed_run_shows_its_error()
    {
        var running = await GetHtmlAsync($"/runs/{app.Lab.RunningRunId}");
        Assert.Contains($"hx-get=\"/runs/{app.Lab.RunningRunId}/summary\" hx-trigger=\"every 2s\"", running);

        var summary = await GetHtmlAsync($"/runs/{app.Lab.RunningRunId}/summary");
        Assert.StartsWith("<section id=\"run-summary\"", summary.TrimStart());
        Assert.Equal(2, Regex.Matches(summary, "<tr data-epoch=").Count);

        var failed = await GetHtmlAsync($"/runs/{app.Lab.FailedRunId}");
        Assert.Contains("id=\"run-error\"", failed);
        Assert.Contains(SeededLab.FailedRunError, failed);
    }

    [Fact]
    public async Task Unknown_run_pages_are_404()
    {
        var html = await GetHtmlAsync("/runs/999999", HttpStatusCode.NotFound);
        Assert.Contains("There is nothing at <code>/runs/999999</code>", html);
        using var summary = await app.Client.GetAsync("/runs/999999/summary");
        Assert.Equal(HttpStatusCode.NotFound, summary.StatusCode);
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
        int Count(string status) => int.Parse(Regex.Match(html, $"data-status-count=\"{status}\">(\\d+)<").Groups[1].Value);
        Assert.Equal(31, Count("Succeeded"));
        Assert.Equal(16, Count("Failed"));
        Assert.Equal(15, Count("Canceled"));
        Assert.Equal(1, Count("Running"));
        Assert.Equal(1, Count("Queued"));
    }
}
