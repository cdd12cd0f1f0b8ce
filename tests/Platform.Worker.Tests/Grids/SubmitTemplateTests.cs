using System.Text.RegularExpressions;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>
/// `submit --template`: the baselines template expands into its 3 variants x K seeds on the queue, and with --wait
/// the verb waits for every run and prints the finished grid as its Markdown table. (QueueTests trains runs through real nodes.)
/// </summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class SubmitTemplateTests(ThrowawayPostgres postgres, ITestOutputHelper log) : IAsyncLifetime
{
    private string corpusName = "";

    public async Task InitializeAsync()
    {
        await DatabaseSchema.MigrateAsync(postgres.ConnectionString);
        await using var db = postgres.NewContext();
        // "emosynth-..." so the template picks MELD's label sets, as for the demo corpus.
        corpusName = "emosynth-t" + Guid.NewGuid().ToString("N")[..8];
        db.Corpora.Add(new Corpus { Name = corpusName, Format = "emosynth", SourcePath = "/nowhere", ContentHash = "-", ImportedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(int Exit, string Output, string Errors)> SubmitAsync(string template, int[]? seeds, int? epochs = null, bool wait = false, string? corpus = null,
        string[]? settings = null)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await SubmitVerb.RunTemplateAsync(template, corpus ?? corpusName, seeds, epochs, settings ?? [], name: null, postgres.ConnectionString, wait, output, errors, CancellationToken.None);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task The_baselines_template_expands_into_three_variants_times_k_seeds_on_the_queue()
    {
        var (exit, output, errors) = await SubmitAsync("baselines", [4], epochs: 2, settings: ["learningRate = 3e-3", "batchSize=16"]);
        Assert.True(exit == 0, errors);
        var gridId = long.Parse(Regex.Match(output, @"^grid: (\d+)$", RegexOptions.Multiline).Groups[1].Value);

        await using var db = postgres.NewContext();
        var grid = await db.Grids.SingleAsync(g => g.Id == gridId);
        Assert.Equal($"baselines on {corpusName}", grid.Name);
        Assert.Equal([0, 1, 2, 3], grid.Seeds);
        Assert.Equal(BaselinesConfig.ConcatVariant, grid.ReferenceVariant);
        var runs = await db.Runs.Where(r => r.GridId == gridId).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(12, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunStatus.Queued, r.Status));
        Assert.Equal(BaselinesConfig.Variants.SelectMany(v => Enumerable.Range(0, 4).Select(seed => (v, seed))), runs.Select(r => (r.Variant, r.Seed)));

        var experiments = await db.Experiments.Where(e => e.GridId == gridId).OrderBy(e => e.Id).ToListAsync();
        var specs = experiments.Select(e => ExperimentSpecJson.ParseAndValidate(e.SpecJson).Spec!).ToList();
        Assert.Equal(BaselinesConfig.Variants, specs.Select(s => s.Baselines!.Variant));
        Assert.All(specs, s => Assert.Equal(2, s.Epochs)); // --epochs overrides the template's base spec
        Assert.All(specs, s => Assert.Equal((3e-3, 16), (s.LearningRate, s.BatchSize))); // and so does --set
        Assert.All(specs, s => Assert.Equal(corpusName, s.Corpus));
        Assert.Equal(BaselinesConfig.Variants.Select(BaselinesConfig.ModalitiesOf), specs.Select(s => s.Modalities));

        // Every run is on the queue; taking them off again keeps them from the queue tests' nodes.
        await using var services = SubmitVerb.SubmissionServices(postgres.ConnectionString);
        var queue = services.GetRequiredService<RunQueue>();
        foreach (var run in runs) Assert.True(await queue.RemoveAsync(run.Id), $"run {run.Id} was not on the queue");
        await db.Runs.Where(r => r.GridId == gridId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Canceled));
    }

    [Fact]
    public async Task Unknown_templates_and_missing_seeds_or_corpora_are_usage_errors()
    {
        var (exit, output, errors) = await SubmitAsync("bcaf-table-9", [3]);
        Assert.Equal((2, ""), (exit, output));
        Assert.StartsWith("submit: unknown template 'bcaf-table-9'; templates:\n", errors);
        foreach (var template in GridTemplates.All) Assert.Contains($"  {template.Name}: {template.Description}\n", errors);

        (exit, _, errors) = await SubmitAsync("baselines", [1, 2, 3]);
        Assert.Equal(2, exit);
        Assert.Contains("--seeds is one number K > 0", errors);
        (exit, _, _) = await SubmitAsync("baselines", null);
        Assert.Equal(2, exit);

        (exit, _, errors) = await SubmitAsync("baselines", [2], corpus: "emosynth-not-imported");
        Assert.Equal(1, exit);
        Assert.Contains("there is no imported corpus 'emosynth-not-imported'", errors);
    }

    [Fact]
    public async Task A_bad_setting_is_named_and_nothing_is_queued()
    {
        await using var db = postgres.NewContext();
        var gridsBefore = await db.Grids.CountAsync();

        var (exit, output, errors) = await SubmitAsync("baselines", [2], settings: ["learningRat = 1e-3", "batchSize = 16, 32", "epochs"]);
        Assert.Equal((1, ""), (exit, output));
        Assert.Contains("submit: --set: learningRat: the spec has no field 'learningRat'", errors);
        Assert.Contains("submit: --set: batchSize: setting 2: 'batchSize = 16, 32' gives 2 values; a setting takes one", errors);
        Assert.Contains("submit: --set: set: line 3: write a setting as 'field = value'", errors);

        (exit, _, errors) = await SubmitAsync("baselines", [2], settings: ["learningRate = -1"]);
        Assert.Equal(1, exit);
        Assert.StartsWith("submit: --set: learningRate: ", errors);
        Assert.DoesNotContain("variant '", errors);
        Assert.Equal(gridsBefore, await db.Grids.CountAsync());
    }

    [Fact]
    public async Task The_worker_command_line_takes_a_spec_or_a_template()
    {
        var (exit, output, errors) = await WorkerCommandLine.RunAsync("submit", "--template", "nope", "--corpus", corpusName, "--seeds", "3", "--database", postgres.ConnectionString);
        Assert.Equal((2, ""), (exit, output));
        Assert.Contains("unknown template 'nope'; templates:", errors);
        Assert.Contains("  baselines: ", errors);

        (exit, _, errors) = await WorkerCommandLine.RunAsync("submit", "--template", "baselines", "--corpus", corpusName, "--seeds", "2",
            "--set", "learningRate = 1e-3", "--set", "nope = 1", "--database", postgres.ConnectionString);
        Assert.Equal(1, exit);
        Assert.Contains("submit: --set: nope: the spec has no field 'nope'", errors);

        (exit, _, errors) = await WorkerCommandLine.RunAsync("submit", "--database", postgres.ConnectionString);
        Assert.Equal(2, exit);
        Assert.Contains("give either --spec FILE or --template NAME", errors);

        (exit, _, errors) = await WorkerCommandLine.RunAsync("submit", "--spec", "spec.json", "--corpus", corpusName, "--database", postgres.ConnectionString);
        Assert.Equal(2, exit);
        Assert.Contains("--corpus goes with --template", errors);
    }

    [Fact]
    public async Task With_wait_it_waits_for_every_run_and_prints_the_finished_grid_as_its_markdown_table()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // The verb writes from its task while the test reads: TextWriter.Synchronized locks on the writer, so reads lock on it too.
        var (outputText, errorText) = (new StringWriter(), new StringWriter());
        var (output, errors) = (TextWriter.Synchronized(outputText), TextWriter.Synchronized(errorText));
        string Read(TextWriter writer, StringWriter text) { lock (writer) return text.ToString(); }
        var submit = Task.Run(() => SubmitVerb.RunTemplateAsync("baselines", corpusName, [3], epochs: 1, settings: [], name: "template wait", postgres.ConnectionString,
            wait: true, output, errors, timeout.Token));

        // The grid id comes out at once, before any run has finished.
        Match printed;
        while (!(printed = Regex.Match(Read(output, outputText), @"^grid: (\d+)$", RegexOptions.Multiline)).Success)
        {
            Assert.False(submit.IsCompleted, $"submit ended early: {Read(output, outputText)}{Read(errors, errorText)}");
            await Task.Delay(100);
        }
        var gridId = long.Parse(printed.Groups[1].Value);

        // Playing the worker nodes' part: off the queue, then each run finished as a trainer leaves it,
        // one by one so the verb sees the grid half done; the concat run of seed 2 fails.
        await using var services = SubmitVerb.SubmissionServices(postgres.ConnectionString);
        await using var db = postgres.NewContext();
        var runs = await db.Runs.Where(r => r.GridId == gridId).OrderBy(r => r.Id).ToListAsync();
        foreach (var run in runs)
        {
            Assert.True(await services.GetRequiredService<RunQueue>().RemoveAsync(run.Id));
            Assert.False(submit.IsCompleted, "submit --wait returned before every run had finished");
            if (run.Variant == BaselinesConfig.ConcatVariant && run.Seed == 2)
            {
                run.Status = RunStatus.Failed;
                run.Error = "NaN loss at epoch 1 step 3";
            }
            else
            {
                run.Status = RunStatus.Succeeded;
                run.BestEpoch = 1;
                var wa = TestWA(run.Variant, run.Seed);
                db.EpochMetrics.Add(new EpochMetric { RunId = run.Id, Epoch = 1, Split = "test", WA = wa, UA = wa - 0.1, WeightedF1 = wa - 0.05, MacroF1 = wa - 0.2 });
            }
            run.FinishedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        }

        var exit = await submit;
        var text = Read(output, outputText);
        log.WriteLine(text);
        Assert.Equal(1, exit); // not every run succeeded
        Assert.Equal("", Read(errors, errorText));
        var table = text.Split('\n').Where(l => l.StartsWith('|')).ToArray();
        Assert.Equal("| Variant | n | WA | UA | WF1 | MF1 |", table[0]);
        Assert.Equal(5, table.Length);
        var text3 = SeedSummary.Of([.. Enumerable.Range(0, 3).Select(seed => TestWA(BaselinesConfig.TextVariant, seed))]);
        Assert.StartsWith(FormattableString.Invariant($"| text | 3 | **{text3.Mean * 100:0.00} ± {text3.Std * 100:0.00}** ("), table[2]);
        Assert.StartsWith("| concat | 2 | ", table[4]);
        Assert.Contains("difference to **concat**", text);
        Assert.Contains("Not in the statistics: concat: 1 failed.", text);
        Assert.Contains($"run {runs.Single(r => r.Status == RunStatus.Failed).Id} (concat, seed 2): Failed (NaN loss at epoch 1 step 3)", text);
    }

    /// <summary>Test WA of a finished run: text best, audio worst, seeds spread.</summary>
    private static double TestWA(string variant, int seed) =>
        variant switch { BaselinesConfig.TextVariant => 0.62, BaselinesConfig.AudioVariant => 0.48, _ => 0.58 } + 0.01 * seed;
}
