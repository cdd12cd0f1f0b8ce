using EmotionLab.Data.Entities;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Worker.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The lab's day in Chromium against the app and its in-process worker: an experiment made in the
/// form, in a new project, trains to the end, shows its confusion matrix, is found under "mine" in
/// its project and is deleted with its files; a long run is canceled, retried and canceled again
/// from the Runs page and the run page.
/// </summary>
[Collection(nameof(TrainingLabFixture))]
public sealed class ExperimentBrowserTests(TrainingLabFixture lab)
{
    private static readonly TimeSpan TrainingTimeout = TimeSpan.FromSeconds(180);

    private string Url(string path) => new Uri(lab.BaseAddress, path).ToString();

    private static ILocator Row(IPage page, long runId) => page.Locator($"#runs-table tr:has(a[data-run-id='{runId}'])");

    private static Task WaitForStatusAsync(IPage page, long runId, TimeSpan timeout, params RunStatus[] statuses) =>
        page.Locator(string.Join(", ", statuses.Select(s => $"#runs-table tr:has(a[data-run-id='{runId}']) .status-chip[data-status='{s}']")))
            .WaitForAsync(new() { Timeout = (float)timeout.TotalMilliseconds });

    [Fact]
    public async Task An_experiment_made_in_the_form_is_queued_into_a_project_trains_shows_its_confusion_matrix_and_is_deleted()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, lab.Session);

        long runId;
        await using (await lab.PauseWorkerAsync())
        {
            await page.GotoAsync(Url("/runs"));
            await page.ClickAsync("#new-experiment");
            await Chromium.WaitForAddressAsync(page, "/experiments/new$");
            await page.Locator("#queue-experiment").WaitForAsync();
            Assert.Equal("30", await page.InputValueAsync("#epochs")); // the family's defaults
            Assert.Equal(0, await page.Locator("[data-problem-for]").CountAsync()); // nothing is wrong before anything is edited
            await Chromium.ScreenshotAsync(page, "new-experiment.png");

            // The families not available yet cannot be picked.
            await page.Locator(".mud-select:has(#family) .mud-input-control").ClickAsync();
            var familyItems = page.Locator(".mud-popover-open .mud-list-item");
            await Assertions.Expect(familyItems).ToHaveCountAsync(5);
            Assert.Equal(0, await page.Locator(".mud-popover-open .mud-list-item.mud-list-item-disabled").CountAsync());
            await Chromium.CloseMenuAsync(page);

            // The text baseline: picking the variant sets the modalities it needs.
            await Chromium.SelectAsync(page, "#baselines-variant", "text");
            await Assertions.Expect(page.Locator("#modalities")).ToHaveValueAsync("text");
            // A bad value is named at its field as soon as it is left, the rest of the form untouched.
            await page.FillAsync("#epochs", "0");
            await page.FillAsync("#seeds", "4");
            await Assertions.Expect(page.Locator("#field-epochs [data-problem-for='epochs']")).ToHaveTextAsync("must be at least 1, got 0");
            Assert.Equal("true", await page.GetAttributeAsync("#epochs", "aria-invalid"));
            Assert.Equal(1, await page.Locator("[data-problem-for]").CountAsync());
            await page.FillAsync("#epochs", "3");
            await page.FillAsync("#seeds", "4");
            await Assertions.Expect(page.Locator("[data-problem-for]")).ToHaveCountAsync(0);
            // The spec block follows the fields.
            await page.ClickAsync("#spec-json-block .mud-expand-panel-header");
            await page.Locator("#spec-json", new() { HasTextString = "\"variant\": \"text\"" }).WaitForAsync();
            await page.Locator("#spec-json", new() { HasTextString = "\"epochs\": 3" }).WaitForAsync();
            await Chromium.ScreenshotAsync(page, "new-experiment-spec-json.png");

            // Without a name nothing is queued, and the form says so at the field, keeping the rest.
            await page.ClickAsync("#queue-experiment");
            await page.Locator("#form-problems").WaitForAsync();
            Assert.Equal("give the experiment a name", (await page.TextContentAsync("[data-problem-for='name']"))?.Trim());
            Assert.Equal("3", await page.InputValueAsync("#epochs"));
            Assert.Equal("text", await page.InputValueAsync("#baselines-variant"));
            await Chromium.ScreenshotAsync(page, "new-experiment-problem.png");
            Assert.Equal("meld7 (7 classes)", await page.InputValueAsync("#labelSet"));

            await page.FillAsync("#name", "text baseline from the browser");
            // A project the lab does not have yet: typed, it is made when the experiment is queued.
            await page.FillAsync("#project", "browser study");
            await page.Keyboard.PressAsync("Tab");
            await page.ClickAsync("#queue-experiment");
            await Chromium.WaitForAddressAsync(page, "/runs/\\d+$");
            runId = long.Parse(new Uri(page.Url).Segments[^1]);
            Assert.Equal("Queued", await page.GetAttributeAsync("#run-summary", "data-status"));

            await page.ClickAsync(".mud-navmenu a[href='/runs']");
            await WaitForStatusAsync(page, runId, TimeSpan.FromSeconds(10), RunStatus.Queued);
            Assert.Contains("text baseline from the browser", await Row(page, runId).InnerTextAsync());
            await Chromium.ScreenshotAsync(page, "runs-queued.png", fullPage: false);
        }

        // The worker resumes: the table, told by the server's change feed, shows the run train and finish.
        await WaitForStatusAsync(page, runId, TrainingTimeout, RunStatus.Succeeded, RunStatus.Failed);
        var finished = await lab.RunAsync(runId);
        Assert.True(finished.Status == RunStatus.Succeeded, $"run {runId} ended {finished.Status}: {finished.Error}");
        await Chromium.ScreenshotAsync(page, "runs-succeeded.png", fullPage: false);

        await Row(page, runId).Locator($"a[href='/runs/{runId}']").First.ClickAsync();
        await Chromium.WaitForCircuitAsync(page);
        // MELD's seven emotions: a 7 x 7 matrix of the test split at the best epoch, each cell's count written in it.
        var matrixTexts = page.Locator("#matrix-figure svg text");
        await Assertions.Expect(matrixTexts.Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*test, epoch {finished.BestEpoch}\\s*$") })).ToHaveCountAsync(1);
        var cells = (await matrixTexts.AllTextContentsAsync()).Select(t => t.Trim()).Where(t => t.All(char.IsAsciiDigit) && t.Length > 0).Select(int.Parse).ToArray();
        Assert.Equal(49, cells.Length);
        Assert.True(cells.Sum() > 0);
        Assert.Equal(3, await page.Locator(".epoch-metrics[data-split='test'] tbody tr").CountAsync());
        Assert.Contains("== attempt 1 on training-lab-web", await page.TextContentAsync("#run-log-lines"));
        Assert.Equal(0, await page.Locator("#run-summary .run-cancel, #run-summary .run-retry").CountAsync());
        await Chromium.ScreenshotAsync(page, "run-trained.png");

        // The best epoch's test predictions download as CSV: one row per item of the heatmap.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#predictions-test").ClickAsync());
        Assert.Equal($"run-{runId}-test-predictions.csv", download.SuggestedFilename);
        var rows = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.StartsWith("key,true,predicted,p_", rows[0]);
        Assert.Equal(cells.Sum(), rows.Length - 1);
        Assert.Equal("browser study", (await page.TextContentAsync("#run-project"))?.Trim());

        // The runs list under "mine" and the project, picked by name.
        await page.ClickAsync(".mud-navmenu a[href='/runs']");
        await Chromium.WaitForAddressAsync(page, "/runs$");
        await page.Locator("#filter-mine").CheckAsync();
        await Chromium.WaitForAddressAsync(page, "/runs\\?owner=\\d+$");
        await page.Locator("#filter-project").FillAsync("browser");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "browser study" }).ClickAsync();
        await Chromium.WaitForAddressAsync(page, "/runs\\?owner=\\d+&project=\\d+$");
        var listed = page.Locator("#runs-table a[data-run-id]");
        await Assertions.Expect(listed).ToHaveCountAsync(1);
        Assert.Equal(runId.ToString(), await listed.GetAttributeAsync("data-run-id"));
        Assert.Equal("browser study", (await Row(page, runId).Locator(".run-project").TextContentAsync())?.Trim());
        await Chromium.ScreenshotAsync(page, "runs-mine-in-project.png", fullPage: false);

        // Deleting the experiment names what goes; once confirmed its run's folder is gone and the run's address says so.
        var folder = Path.Combine(lab.ArtifactRoot, "runs", runId.ToString());
        Assert.True(File.Exists(Path.Combine(folder, "predictions", "test.csv")));
        await Row(page, runId).Locator($"a[href='/runs/{runId}']").First.ClickAsync();
        await Chromium.WaitForCircuitAsync(page);
        await page.ClickAsync("#run-summary .delete-experiment");
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Delete experiment 'text baseline from the browser'");
        await Assertions.Expect(dialog).ToContainTextAsync("This deletes 1 run, ");
        await Assertions.Expect(dialog).ToContainTextAsync(" checkpoint");
        await Chromium.ScreenshotAsync(page, "delete-experiment.png", fullPage: false);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Chromium.WaitForAddressAsync(page, "/runs$");
        Assert.False(Directory.Exists(folder));
        var gone = await page.GotoAsync(Url($"/runs/{runId}"));
        Assert.Equal(410, gone!.Status); // Gone: the page says why
        // The 410 is the answer and the console's note of it, not a problem.
        Assert.True(problems.Remove($"410 {Url($"/runs/{runId}")}"), string.Join("\n", problems));
        Assert.Equal(1, problems.RemoveAll(p => p.StartsWith("Failed to load resource: the server responded with a status of 410", StringComparison.Ordinal)));
        await Assertions.Expect(page.Locator("#deleted-notice")).ToContainTextAsync("was deleted by lab-admin");
        await Chromium.ScreenshotAsync(page, "run-deleted.png", fullPage: false);

        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_run_asking_for_a_gpu_waits_on_the_queue_and_its_page_says_why()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, lab.Session);

        await page.GotoAsync(Url("/experiments/new"));
        await Chromium.WaitForCircuitAsync(page);
        await page.FillAsync("#name", "needs a GPU");
        await Chromium.SelectAsync(page, "#baselines-variant", "text");
        await Chromium.SelectAsync(page, "#device", "a node with a GPU");
        await page.ClickAsync("#queue-experiment");
        await Chromium.WaitForAddressAsync(page, "/runs/\\d+$");
        var runId = long.Parse(new Uri(page.Url).Segments[^1]);

        // The lab's only node is the app's CPU node: the run stays Queued, and the page says why.
        var waiting = (await page.TextContentAsync("#run-waiting"))!;
        Assert.Contains("Waiting in queue 'gpu', which no worker node that is up takes runs from", waiting);
        Assert.Contains($"{TrainingLabFixture.NodeName}: cpu, shared", waiting);
        Assert.Matches(@"gpu, job \d+ Enqueued, next", (await page.TextContentAsync("#run-queue"))!.Trim());
        await Chromium.ScreenshotAsync(page, "run-waiting-for-gpu.png");

        // Its job links to Hangfire's dashboard (a tab of its own), which shows it waiting in the gpu queue.
        var job = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("#run-queue a"));
        await job.WaitForLoadStateAsync();
        Assert.Contains("/hangfire/jobs/details/", job.Url);
        Assert.Contains($"run {runId}", await job.TextContentAsync("body"));
        await Chromium.ScreenshotAsync(job, "hangfire-job.png");
        await job.CloseAsync();

        Assert.Equal(RunStatus.Queued, (await lab.RunAsync(runId)).Status);
        Assert.True((await lab.Services.GetRequiredService<RunControl>().CancelAsync(runId)).Changed);
        Assert.False(await lab.IsOnQueueAsync(runId));

        // The Workers page: the app's node is up, serving cpu and shared, and links to the dashboard.
        await page.GotoAsync(Url("/workers"));
        await Chromium.WaitForCircuitAsync(page);
        var node = page.Locator($"tr[data-worker='{TrainingLabFixture.NodeName}']");
        Assert.Equal("true", await node.GetAttributeAsync("data-up"));
        Assert.Contains("cpu, shared", await node.InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "workers.png");
        var dashboard = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("#hangfire-dashboard"));
        await dashboard.WaitForLoadStateAsync();
        Assert.EndsWith("/hangfire", dashboard.Url);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_emoq_form_shows_the_papers_defaults_and_names_the_missing_llm_folder()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, lab.Session);
        await page.GotoAsync(Url("/experiments/new?family=emoq"));
        await Chromium.WaitForCircuitAsync(page);
        Assert.Equal("former", await page.InputValueAsync("#emoQ-input"));
        Assert.Equal("on", await page.InputValueAsync("#emoQ-stage1"));
        Assert.Equal("0.07", await page.InputValueAsync("#emoQ-temperature"));
        Assert.Equal("16", await page.InputValueAsync("#emoQ-loraRank"));
        Assert.Equal("1E-05", await page.InputValueAsync("#learningRate"));
        Assert.Equal("8", await page.InputValueAsync("#batchSize"));

        await page.FillAsync("#name", "emoq without an llm");
        await page.ClickAsync("#queue-experiment");
        await page.Locator("#field-emoQ-llm [data-problem-for='emoQ.llm']").WaitForAsync();
        Assert.Contains("the LLM's model folder is required", await page.TextContentAsync("#field-emoQ-llm [data-problem-for='emoQ.llm']"));
        await Chromium.ScreenshotAsync(page, "new-experiment-emoq-problem.png");
    }

    [Fact]
    public async Task The_eaa_form_shows_the_papers_defaults_and_names_the_missing_llm_folder()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, lab.Session);
        await page.GotoAsync(Url("/experiments/new?family=eaa"));
        await Chromium.WaitForCircuitAsync(page);
        Assert.Equal("preceding", await page.InputValueAsync("#eaa-context"));
        Assert.Equal("dual", await page.InputValueAsync("#eaa-fusion"));
        Assert.Equal("2", await page.InputValueAsync("#eaa-loraRank"));
        Assert.Equal("5E-06", await page.InputValueAsync("#learningRate"));
        await Chromium.ScreenshotAsync(page, "new-experiment-eaa.png");

        await page.FillAsync("#name", "eaa without an llm");
        await page.ClickAsync("#queue-experiment");
        await page.Locator("#field-eaa-llm [data-problem-for='eaa.llm']").WaitForAsync();
        Assert.Contains("the LLM's model folder is required", await page.TextContentAsync("#field-eaa-llm [data-problem-for='eaa.llm']"));
        Assert.Equal("1", await page.InputValueAsync("#gradientAccumulation"));
        Assert.Equal("warmup-cosine", await page.InputValueAsync("#schedule")); // the paper's warm-up then cosine decay
        Assert.Equal("1", await page.InputValueAsync("#maxGradientNorm"));
        await Chromium.ScreenshotAsync(page, "new-experiment-eaa-problem.png");

        // The smoke test: tiny random folders fill the LLM and both encoder slots, and the run is queued.
        await page.FillAsync("#gradientAccumulation", "2");
        await page.Locator("label:has(#tinyModels)").ClickAsync();
        long runId;
        await using (await lab.PauseWorkerAsync())
        {
            await page.ClickAsync("#queue-experiment");
            await Chromium.WaitForAddressAsync(page, @"/runs/\d+$");
            runId = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
            await using var db = lab.Postgres.NewContext();
            var spec = ExperimentSpecJson.Parse((await db.Experiments.FindAsync((await lab.RunAsync(runId)).ExperimentId))!.SpecJson).Spec!;
            Assert.Equal(("tiny-llama-emosynth", "tiny-hubert", "tiny-beats", 2), (spec.Eaa!.Llm, spec.Eaa.Semantic.Model, spec.Eaa.Acoustic.Model, spec.GradientAccumulation));
            Assert.True(File.Exists(Path.Combine(lab.ArtifactRoot, "models", "tiny-llama-emosynth", "config.json")));
            await lab.Services.GetRequiredService<EmotionLab.Worker.Queue.RunControl>().CancelAsync(runId);
        }
    }

    [Fact]
    public async Task A_long_run_is_canceled_from_the_runs_page_retried_and_canceled_from_its_page()
    {
        var spec = new ExperimentSpec
        {
            Corpus = TrainingLabFixture.CorpusName, LabelSet = "meld7", Modalities = Modalities.Text, Epochs = 5000, Patience = 5000, BatchSize = 4,
            Baselines = new BaselinesConfig { Variant = BaselinesConfig.TextVariant },
        };
        var submitted = await lab.Services.GetRequiredService<ExperimentSubmission>().SubmitExperimentAsync("long text baseline", spec, [1]);
        Assert.True(submitted.Succeeded, string.Join("; ", submitted.Problems));
        var runId = submitted.RunIds.Single();
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Chromium.LaunchAsync(playwright);
            var problems = new List<string>();
            var page = await Chromium.NewPageAsync(browser, problems, lab.Session);

            await page.GotoAsync(Url($"/runs?experiment={submitted.ExperimentIds[0]}"));
            await WaitForStatusAsync(page, runId, TrainingTimeout, RunStatus.Running);
            // Some epochs in, so the cancel meets a trainer that is really training.
            await lab.WaitForProgressAsync(runId, TrainingTimeout);
            await Chromium.ScreenshotAsync(page, "runs-running.png", fullPage: false);

            // Its own page, open while it trains: the server draws the loss curve again as steps come in, without a reload.
            var runPage = await Chromium.NewPageAsync(browser, problems, lab.Session);
            await runPage.GotoAsync(Url($"/runs/{runId}"));
            await Chromium.WaitForCircuitAsync(runPage);
            var firstCurve = await runPage.Locator("#loss-figure .figure").InnerHTMLAsync();
            await runPage.WaitForFunctionAsync("first => document.querySelector('#loss-figure .figure').innerHTML !== first", firstCurve, new() { Timeout = 60_000 });
            await Chromium.ScreenshotAsync(runPage, "run-training.png");
            await runPage.CloseAsync();

            var confirm = page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel run" });
            await Chromium.ClickUntilShownAsync(Row(page, runId).Locator(".run-cancel"), confirm);
            await confirm.ClickAsync();
            await WaitForStatusAsync(page, runId, TimeSpan.FromSeconds(60), RunStatus.Canceled);
            Assert.Equal(RunStatus.Canceled, (await lab.RunAsync(runId)).Status);
            await Chromium.ScreenshotAsync(page, "runs-canceled.png", fullPage: false);

            // Retry puts it back; it resumes on the worker as a second attempt.
            await Row(page, runId).Locator(".run-retry").ClickAsync();
            await WaitForStatusAsync(page, runId, TrainingTimeout, RunStatus.Running);
            var retried = await lab.WaitForStatusAsync(runId, TrainingTimeout, RunStatus.Running);
            Assert.Equal(2, retried.Attempt);

            // And its own page cancels it too.
            await Row(page, runId).Locator($"a[href='/runs/{runId}']").First.ClickAsync();
            await Chromium.WaitForCircuitAsync(page);
            await Chromium.ClickUntilShownAsync(page.Locator("#run-summary .run-cancel"), confirm);
            await confirm.ClickAsync();
            await page.Locator("#run-summary[data-status='Canceled']").WaitForAsync(new() { Timeout = 60000 });
            await page.Locator("#run-summary .run-retry").WaitForAsync();
            Assert.Equal(RunStatus.Canceled, (await lab.RunAsync(runId)).Status);
            await Chromium.ScreenshotAsync(page, "run-canceled.png");

            Assert.Empty(problems);
        }
        finally
        {
            // A failed step must not leave 5,000 epochs training on the lab's one slot for the tests after it.
            await lab.Services.GetRequiredService<RunControl>().CancelAsync(runId, CancellationToken.None);
        }
    }
}
