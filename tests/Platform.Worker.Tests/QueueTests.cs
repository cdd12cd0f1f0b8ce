using System.Diagnostics;
using System.Text.RegularExpressions;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Worker.Node;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EmotionLab.Worker.Tests;

/// <summary>
/// The queue with two worker nodes as separate processes on one database, as on two GPU boxes:
/// each run executes once, cancels stop trainers, crashes are recorded, and a dead node's run is
/// finished by the other node from its checkpoint.
/// </summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class QueueTests(ThrowawayPostgres postgres, EmoSynthOnDisk emosynth, ITestOutputHelper output) : IClassFixture<EmoSynthOnDisk>, IAsyncLifetime
{
    private string Artifacts => Path.Combine(emosynth.Root, "queue-artifacts");
    private readonly List<WorkerNodeProcess> nodes = [];
    private string corpusName = "";

    public async Task InitializeAsync()
    {
        await DatabaseSchema.MigrateAsync(postgres.ConnectionString);
        await using var db = postgres.NewContext();
        corpusName = "emosynth-q" + Guid.NewGuid().ToString("N")[..8];
        db.Corpora.Add(new Corpus { Name = corpusName, Format = "emosynth", SourcePath = emosynth.Corpus, ContentHash = "-", ImportedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        foreach (var node in nodes)
        {
            output.WriteLine($"--- node {node.Name}\n{node.Output}");
            node.Dispose();
        }
        return Task.CompletedTask;
    }

    private ExperimentSpec TextBaseline(int epochs) => new()
    {
        Corpus = corpusName, LabelSet = "meld7", Modalities = Modalities.Text, Epochs = epochs, Patience = epochs, BatchSize = 16,
        Baselines = new BaselinesConfig { Variant = BaselinesConfig.TextVariant },
    };

    private async Task StartNodesAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var name = $"node-{(char)('a' + i)}-{Guid.NewGuid().ToString("N")[..4]}";
            nodes.Add(new WorkerNodeProcess(name, postgres.ConnectionString, Artifacts));
            // One at a time: the first node provisions Quartz's tables.
            await WaitUntilAsync(async () =>
            {
                await using var db = postgres.NewContext();
                return await db.WorkerNodes.AnyAsync(w => w.Name == name);
            }, TimeSpan.FromSeconds(60), $"node {name} registers its heartbeat");
        }
    }

    private async Task<IReadOnlyList<long>> SubmitAsync(ExperimentSpec spec, params int[] seeds)
    {
        await using var services = SubmitVerb.SubmissionServices(postgres.ConnectionString);
        var result = await services.GetRequiredService<ExperimentSubmission>().SubmitExperimentAsync("queue test", spec, seeds);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        return result.RunIds;
    }

    private async Task<Run> RunAsync(long id)
    {
        await using var db = postgres.NewContext();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                foreach (var node in nodes) output.WriteLine($"--- node {node.Name}\n{node.Output}");
                Assert.Fail($"timed out after {timeout.TotalSeconds:0} s waiting until {what}");
            }
            await Task.Delay(250);
        }
    }

    private Task WaitForStatusAsync(long runId, RunStatus status, TimeSpan timeout) =>
        WaitUntilAsync(async () =>
        {
            var run = await RunAsync(runId);
            if (run.Status != status && run.Status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Canceled)
                Assert.Fail($"run {runId} ended {run.Status}, not {status}: {run.Error}\n{(run.LogPath is { } log && File.Exists(log) ? File.ReadAllText(log) : "")}");
            return run.Status == status;
        }, timeout, $"run {runId} is {status}");

    private async Task<int> StepLossCountAsync(long runId)
    {
        await using var db = postgres.NewContext();
        return await db.StepLosses.CountAsync(s => s.RunId == runId);
    }

    [Fact]
    public async Task Every_run_executes_exactly_once_across_two_nodes()
    {
        await StartNodesAsync(2);
        var runIds = await SubmitAsync(TextBaseline(epochs: 1), 1, 2, 3, 4);
        foreach (var id in runIds) await WaitForStatusAsync(id, RunStatus.Succeeded, TimeSpan.FromMinutes(4));

        var runs = await Task.WhenAll(runIds.Select(RunAsync));
        Assert.All(runs, r => Assert.Equal(1, r.Attempt));
        foreach (var run in runs)
        {
            var log = await File.ReadAllTextAsync(run.LogPath!);
            Assert.Single(Regex.Matches(log, "^== attempt", RegexOptions.Multiline));
            // The node tells its trainer how many threads it may use (its cores shared by its slots).
            Assert.Matches(new Regex(@"^== OMP_NUM_THREADS=\d+, OPENBLAS_NUM_THREADS=\d+, OPENBLAS_CORETYPE=\w+$", RegexOptions.Multiline), log);
        }
        output.WriteLine(string.Join("\n", runs.Select(r => $"run {r.Id}: {r.Node}")));
        Assert.Equal(2, runs.Select(r => r.Node).Distinct().Count());
    }

    [Fact]
    public async Task Cancel_stops_a_running_trainer_within_seconds()
    {
        await StartNodesAsync(1);
        var runId = (await SubmitAsync(TextBaseline(epochs: 500), 7))[0];
        await WaitUntilAsync(async () => await StepLossCountAsync(runId) > 0, TimeSpan.FromMinutes(5), $"run {runId} records steps");

        await using (var services = SubmitVerb.SubmissionServices(postgres.ConnectionString))
            Assert.True(await services.GetRequiredService<RunTransitions>().RequestCancelAsync(runId));
        var clock = Stopwatch.StartNew();
        await WaitForStatusAsync(runId, RunStatus.Canceled, TimeSpan.FromSeconds(30));
        output.WriteLine($"canceled after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"cancel took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task A_killed_trainer_fails_its_run_and_keeps_its_log_and_metrics()
    {
        await StartNodesAsync(1);
        var runId = (await SubmitAsync(TextBaseline(epochs: 500), 8))[0];
        await WaitUntilAsync(async () => await StepLossCountAsync(runId) > 0, TimeSpan.FromMinutes(5), $"run {runId} records steps");
        var run = await RunAsync(runId);
        var trainerPid = int.Parse(Regex.Match(await File.ReadAllTextAsync(run.LogPath!), @"trainer pid (\d+)").Groups[1].Value);
        var stepsBefore = await StepLossCountAsync(runId);

        Process.GetProcessById(trainerPid).Kill();
        await WaitForStatusAsync(runId, RunStatus.Failed, TimeSpan.FromSeconds(30));

        run = await RunAsync(runId);
        output.WriteLine(run.Error);
        Assert.Contains("killed by signal 9", run.Error);
        Assert.Contains(run.LogPath!, run.Error);
        Assert.Contains("run marked Failed", await File.ReadAllTextAsync(run.LogPath!));
        Assert.True(await StepLossCountAsync(runId) >= stepsBefore);
    }

    [Fact]
    public async Task A_dead_nodes_run_goes_before_the_runs_queued_after_it()
    {
        await StartNodesAsync(2);
        // Both train until canceled: 500 epochs of this corpus' text baseline could end within the waits below.
        var first = (await SubmitAsync(TextBaseline(epochs: 5000), 11))[0];
        await WaitForStatusAsync(first, RunStatus.Running, TimeSpan.FromMinutes(1));
        var blocker = (await SubmitAsync(TextBaseline(epochs: 5000), 12))[0]; // keeps the other node busy
        await WaitForStatusAsync(blocker, RunStatus.Running, TimeSpan.FromMinutes(1));
        var later = (await SubmitAsync(TextBaseline(epochs: 1), 13))[0];

        var deadName = (await RunAsync(first)).Node;
        var dead = nodes.Single(n => n.Name == deadName);
        dead.KillNodeOnly();
        await WaitUntilAsync(async () =>
        {
            await using var db = postgres.NewContext();
            return await db.Database.SqlQueryRaw<string>("SELECT trigger_name AS \"Value\" FROM qrtz_triggers WHERE job_name = {0}", RunQueue.KeyOf(first).Name)
                .AnyAsync(name => name.StartsWith("recover_"));
        }, TimeSpan.FromSeconds(60), $"the other node puts run {first} back on the queue");
        // The recovered firing keeps the first run's fire time. Were that a misfire (Quartz's
        // default threshold is 60 s), the misfire handler's next pass would re-time it to now,
        // behind the later run: wait for that pass before the blocker frees its node.
        await Task.Delay(TimeSpan.FromSeconds(75));
        await using (var services = SubmitVerb.SubmissionServices(postgres.ConnectionString))
            Assert.True(await services.GetRequiredService<RunTransitions>().RequestCancelAsync(blocker));

        await WaitUntilAsync(async () => (await RunAsync(first)).Attempt == 2 || (await RunAsync(later)).Status != RunStatus.Queued,
            TimeSpan.FromMinutes(1), $"the freed node takes run {first} or run {later}");
        var (recovered, waiting) = (await RunAsync(first), await RunAsync(later));
        Assert.Equal((2, RunStatus.Running), (recovered.Attempt, recovered.Status));
        Assert.Equal(RunStatus.Queued, waiting.Status);

        await using (var services = SubmitVerb.SubmissionServices(postgres.ConnectionString))
            Assert.True(await services.GetRequiredService<RunTransitions>().RequestCancelAsync(first));
        await WaitForStatusAsync(later, RunStatus.Succeeded, TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task A_running_run_the_queue_has_lost_is_queued_again_and_finishes()
    {
        // The state a dropped recovery leaves: the run Running on a node that is gone, its job
        // stored, no trigger and no firing.
        var runId = (await SubmitAsync(TextBaseline(epochs: 1), 14))[0];
        await using (var db = postgres.NewContext())
        {
            var trigger = RunQueue.KeyOf(runId).Name;
            await db.Database.ExecuteSqlRawAsync("DELETE FROM qrtz_simple_triggers WHERE trigger_name = {0}; DELETE FROM qrtz_triggers WHERE trigger_name = {0}", trigger);
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Running).SetProperty(r => r.Node, "node-gone"));
        }

        await StartNodesAsync(1);
        await WaitForStatusAsync(runId, RunStatus.Succeeded, TimeSpan.FromMinutes(5)); // two sweeps 30 s apart, then one epoch
        Assert.Equal(1, (await RunAsync(runId)).Attempt);
        Assert.Contains($"Run {runId} is Running but no node executes it", nodes[0].Output);
    }

    [Fact]
    public async Task A_dead_nodes_run_is_finished_by_the_other_node_from_its_checkpoint_and_the_concat_baseline_learns()
    {
        await StartNodesAsync(2);
        const int epochs = 12;
        var concat = TextBaseline(epochs) with
        {
            Modalities = Modalities.TextAudio, BatchSize = 32, Baselines = new BaselinesConfig { Variant = BaselinesConfig.ConcatVariant },
        };
        var runId = (await SubmitAsync(concat, 9))[0];
        await WaitUntilAsync(async () =>
        {
            await using var db = postgres.NewContext();
            return await db.EpochMetrics.AnyAsync(m => m.RunId == runId && m.Epoch >= 2);
        }, TimeSpan.FromMinutes(3), $"run {runId} has finished two epochs");
        var first = await RunAsync(runId);
        Assert.Equal(RunStatus.Running, first.Status);
        var dead = nodes.Single(n => n.Name == first.Node);
        dead.KillNodeOnly();
        output.WriteLine($"killed node {dead.Name} at progress {first.Progress:F2}");

        await WaitForStatusAsync(runId, RunStatus.Succeeded, TimeSpan.FromMinutes(4));
        var run = await RunAsync(runId);
        Assert.Equal(2, run.Attempt);
        Assert.NotEqual(dead.Name, run.Node);
        var log = await File.ReadAllTextAsync(run.LogPath!);
        Assert.Matches(@"resuming from the checkpoint of epoch \d+", log);

        await using var db = postgres.NewContext();
        var steps = await db.StepLosses.Where(s => s.RunId == runId).Select(s => s.Step).OrderBy(s => s).ToListAsync();
        Assert.Equal(Enumerable.Range(1, steps.Count), steps);
        var epochsRecorded = await db.EpochMetrics.Where(m => m.RunId == runId).GroupBy(m => m.Epoch).Select(g => g.Count()).ToListAsync();
        Assert.Equal(epochs, epochsRecorded.Count);
        Assert.All(epochsRecorded, splits => Assert.Equal(3, splits));
        // Every epoch's steps: the run's step count is epochs x steps per epoch, nothing missing.
        Assert.Equal(0, steps.Count % epochs);

        // Through the whole platform (form spec, queue, node, child trainer, database) the model learns:
        // test weighted F1 at the best epoch beats always predicting the majority class.
        var test = await db.EpochMetrics.SingleAsync(m => m.RunId == runId && m.Split == "test" && m.Epoch == run.BestEpoch);
        var matrix = await db.ConfusionMatrices.SingleAsync(m => m.RunId == runId && m.Split == "test" && m.Epoch == run.BestEpoch);
        var majorityF1 = MajorityClass.WeightedF1(matrix);
        output.WriteLine($"concat through the platform: test weighted F1 {test.WeightedF1:F3} at epoch {run.BestEpoch}; majority class {majorityF1:F3}");
        Assert.True(test.WeightedF1 > majorityF1 + 0.1, $"concat {test.WeightedF1:F3} vs majority {majorityF1:F3}");
    }
}
