using System.Net;
using System.Text.Json;
using EmotionLab.Data.Entities;

namespace EmotionLab.Web.Tests;

[Collection(nameof(WebAppFixture))]
public sealed class RunsApiTests(WebAppFixture app)
{
    private async Task<JsonElement> GetJsonAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await app.Client.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static long[] Ids(JsonElement page) => [.. page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64())];

    private IEnumerable<Run> AllSeededRuns(RunStatus status)
    {
        var lab = app.Lab;
        var baseline = new Dictionary<long, RunStatus>
        {
            [lab.SucceededRunId] = RunStatus.Succeeded, [lab.RunningRunId] = RunStatus.Running, [lab.QueuedRunId] = RunStatus.Queued, [lab.FailedRunId] = RunStatus.Failed,
        };
        return lab.GridRuns.Where(r => r.Status == status)
            .Concat(baseline.Where(b => b.Value == status).Select(b => new Run { Id = b.Key, Family = "baselines", Status = b.Value }));
    }

    [Fact]
    public async Task Status_filter_pages_newest_first_with_a_cursor_to_the_next_page()
    {
        var expected = AllSeededRuns(RunStatus.Succeeded).Select(r => r.Id).OrderDescending().ToArray();
        Assert.Equal(31, expected.Length);

        var first = await GetJsonAsync("/api/runs?status=Succeeded&limit=10");
        Assert.Equal(expected[..10], Ids(first));
        Assert.All(first.GetProperty("runs").EnumerateArray(), r => Assert.Equal("Succeeded", r.GetProperty("status").GetString()));
        Assert.Equal(expected[9], first.GetProperty("nextBefore").GetInt64());

        var second = await GetJsonAsync(first.GetProperty("next").GetString()!);
        Assert.Equal(expected[10..20], Ids(second));

        // Walking every page visits each Succeeded run once and ends with no cursor.
        var seen = Ids(first).Concat(Ids(second)).ToList();
        var page = second;
        while (page.GetProperty("next").ValueKind != JsonValueKind.Null)
        {
            page = await GetJsonAsync(page.GetProperty("next").GetString()!);
            seen.AddRange(Ids(page));
        }
        Assert.Equal(expected, seen);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextBefore").ValueKind);
    }

    [Fact]
    public async Task Family_grid_and_corpus_filters_combine()
    {
        var lab = app.Lab;
        var baselines = await GetJsonAsync("/api/runs?family=baselines");
        Assert.Equal([lab.FailedRunId, lab.QueuedRunId, lab.RunningRunId, lab.SucceededRunId], Ids(baselines));

        var grid = await GetJsonAsync($"/api/runs?grid={lab.GridId}&limit=500");
        Assert.Equal(60, Ids(grid).Length);
        Assert.All(grid.GetProperty("runs").EnumerateArray(), r => Assert.Equal(lab.GridId, r.GetProperty("grid").GetInt64()));

        var failedOnGridCorpus = await GetJsonAsync($"/api/runs?corpus={lab.GridCorpusId}&status=failed&limit=500");
        Assert.Equal(lab.GridRuns.Where(r => r.Status == RunStatus.Failed).Select(r => r.Id).OrderDescending(), Ids(failedOnGridCorpus));

        var none = await GetJsonAsync($"/api/runs?family=eaa");
        Assert.Empty(Ids(none));
    }

    [Fact]
    public async Task Runs_carry_status_names_and_their_latest_test_scores()
    {
        var lab = app.Lab;
        var runs = (await GetJsonAsync("/api/runs?family=baselines")).GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetInt64());

        var finished = runs[lab.SucceededRunId];
        Assert.Equal("Succeeded", finished.GetProperty("status").GetString());
        Assert.Equal("baselines", finished.GetProperty("family").GetString());
        Assert.Equal(JsonValueKind.Null, finished.GetProperty("grid").ValueKind);
        Assert.Equal("", finished.GetProperty("variant").GetString());
        Assert.Equal(1, finished.GetProperty("seed").GetInt32());
        var metrics = finished.GetProperty("metrics");
        var latestTest = SeededLab.Scores(lab.SucceededRunId, 5, "test");
        Assert.Equal("test", metrics.GetProperty("split").GetString());
        Assert.Equal(5, metrics.GetProperty("epoch").GetInt32());
        Assert.Equal(latestTest.WA, metrics.GetProperty("wa").GetDouble(), 12);
        Assert.Equal(latestTest.UA, metrics.GetProperty("ua").GetDouble(), 12);
        Assert.Equal(latestTest.WeightedF1, metrics.GetProperty("weightedF1").GetDouble(), 12);
        Assert.Equal(latestTest.MacroF1, metrics.GetProperty("macroF1").GetDouble(), 12);
        Assert.Equal(0.63, finished.GetProperty("testWeightedF1AtBestEpoch").GetDouble(), 12);

        // Before any test epoch the latest validation scores stand in.
        var running = runs[lab.RunningRunId];
        Assert.Equal("Running", running.GetProperty("status").GetString());
        Assert.Equal("validation", running.GetProperty("metrics").GetProperty("split").GetString());
        Assert.Equal(2, running.GetProperty("metrics").GetProperty("epoch").GetInt32());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("testWeightedF1AtBestEpoch").ValueKind);

        Assert.Equal("Queued", runs[lab.QueuedRunId].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, runs[lab.QueuedRunId].GetProperty("metrics").ValueKind);
        Assert.Equal("Failed", runs[lab.FailedRunId].GetProperty("status").GetString());

        var gridRun = (await GetJsonAsync($"/api/runs?grid={app.Lab.GridId}&status=Canceled&limit=1")).GetProperty("runs")[0];
        Assert.Equal("Canceled", gridRun.GetProperty("status").GetString());
        Assert.Equal(app.Lab.GridId, gridRun.GetProperty("grid").GetInt64());
        Assert.Equal("w/o BAN", gridRun.GetProperty("variant").GetString());
    }

    [Theory]
    [InlineData("status=Done", "status")]
    [InlineData("status=1", "status")]
    [InlineData("grid=abc", "grid")]
    [InlineData("corpus=-3", "corpus")]
    [InlineData("before=x", "before")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    public async Task Bad_filter_values_are_400_naming_the_field(string query, string field)
    {
        using var response = await app.Client.GetAsync("/api/runs?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Run_detail_has_the_run_every_epoch_and_every_confusion_matrix()
    {
        var lab = app.Lab;
        var detail = await GetJsonAsync($"/api/runs/{lab.SucceededRunId}");
        var run = detail.GetProperty("run");
        Assert.Equal(lab.SucceededRunId, run.GetProperty("id").GetInt64());
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(4, run.GetProperty("bestEpoch").GetInt32());
        Assert.Equal("concat late fusion", run.GetProperty("experiment").GetString());
        Assert.Equal(0.0001, run.GetProperty("spec").GetProperty("optimizer").GetProperty("lr").GetDouble());

        var epochs = detail.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(15, epochs.Count);
        var test4 = epochs.Single(e => e.GetProperty("split").GetString() == "test" && e.GetProperty("epoch").GetInt32() == 4);
        Assert.Equal(0.63, test4.GetProperty("weightedF1").GetDouble(), 12);
        Assert.Equal(4, test4.GetProperty("f1").GetArrayLength());

        var matrices = detail.GetProperty("confusionMatrices").EnumerateArray().ToList();
        Assert.Equal(10, matrices.Count);
        var test5 = matrices.Single(m => m.GetProperty("split").GetString() == "test" && m.GetProperty("epoch").GetInt32() == 5);
        Assert.Equal(SeededLab.Labels, test5.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(SeededLab.Counts(5), test5.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()));

        var failed = await GetJsonAsync($"/api/runs/{lab.FailedRunId}");
        Assert.Equal(SeededLab.FailedRunError, failed.GetProperty("run").GetProperty("error").GetString());
        Assert.Empty(failed.GetProperty("epochs").EnumerateArray());
    }

    [Fact]
    public async Task Losses_come_in_step_order()
    {
        var losses = (await GetJsonAsync($"/api/runs/{app.Lab.SucceededRunId}/losses")).EnumerateArray().ToList();
        Assert.Equal(5 * SeededLab.StepsPerEpoch, losses.Count);
        Assert.Equal(Enumerable.Range(1, losses.Count), losses.Select(l => l.GetProperty("step").GetInt32()));
        Assert.Equal(2.0 / Math.Sqrt(3), losses[2].GetProperty("loss").GetDouble(), 12);
        Assert.Equal(5, losses[^1].GetProperty("epoch").GetInt32());
    }

    [Theory]
    [InlineData("/api/runs/999999")]
    [InlineData("/api/runs/999999/losses")]
    public async Task Unknown_runs_are_404_problems(string url)
    {
        using var response = await app.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("999999", problem.GetProperty("detail").GetString());
    }
}
