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
/// The Hangfire queue with worker nodes as separate `serve` processes on one database, as on two
/// GPU boxes: each run executes once, cancels stop trainers and keep queued runs from starting,
/// crashes are recorded, a dead or stopped node's run is finished by the other node from its
/// checkpoint and keeps its place, and a run that asks for a GPU never lands on a CPU node.
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

    public async Task DisposeAsync()
    {
        foreach (var node in nodes)
        {
            output.WriteLine($"--- node {node.Name}\n{node.Output}");
            node.Dispose();
        }
        if (queueClient is not null) await queueClient.Services.DisposeAsync();
    }

    private ExperimentSpec TextBaseline(int epochs) => new()
    {
        Corpus = corpusName, LabelSet = "meld7", Modalities = Modalities.Text, Epochs = epochs, Patience = epochs, BatchSize = 16,
        Baselines = new BaselinesConfig { Variant = BaselinesConfig.TextVariant },
    };

    private async Task StartNodesAsync(int count, int slots = 1)
    {
        for (var i = 0; i < count; i++)
        {
            var name = $"node-{(char)('a' + i)}-{Guid.NewGuid().ToString("N")[..4]}";
            nodes.Add(new WorkerNodeProcess(name, postgres.ConnectionString, Artifacts, slots));
            // Up once its Hangfire server is on the server list (one at a time: the first creates Hangfire's schema).
            await WaitUntilAsync(() => Task.FromResult(Queue.Servers.Live().Any(s => s.IsServerOf(name))),
                TimeSpan.FromSeconds(60), $"node {name} is on Hangfire's server list");
        }
    }

    /// <summary>A queue client of its own, as `submit` or the web app in scale-out mode is.</summary>
    private QueueClient Queue => queueClient ??= new QueueClient(SubmitVerb.SubmissionServices(postgres.ConnectionString));
    private QueueClient? queueClient;

    private sealed record QueueClient(ServiceProvider Services)
    {
        public RunQueue Runs => Services.GetRequiredService<RunQueue>();
        public RunControl Control => Services.GetRequiredService<RunControl>();
        public QueueServerList Servers => Services.GetRequiredService<QueueServerList>();
    }

    private async Task<IReadOnlyList<long>> SubmitAsync(ExperimentSpec spec, params int[] seeds)
    {
        var result = await Queue.Services.GetRequiredService<ExperimentSubmission>().SubmitExperimentAsync("queue test", spec, seeds);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        return result.RunIds;
    }

    private async Task CancelAsync(long runId) => Assert.True((await Queue.Control.CancelAsync(runId)).Changed, $"run {runId} could not be canceled");

    private Task WaitForAttemptAsync(long runId, int attempt, TimeSpan timeout) =>
        WaitUntilAsync(async () => await RunAsync(runId) is { Status: RunStatus.Running } run && run.Attempt == attempt, timeout, $"run {runId} runs attempt {attempt}");

    private Task WaitForStepsAsync(long runId) =>
        WaitUntilAsync(async () => await StepLossCountAsync(runId) > 0, TimeSpan.FromMinutes(5), $"run {runId} records steps");

    /// <summary>Whether the run's job is back on the queue unfetched (a dead node's run handed back).</summary>
    private async Task<bool> IsWaitingForANodeAsync(long runId)
    {
        await using var db = postgres.NewContext();
        return await db.Database.SqlQueryRaw<bool>(
            "SELECT q.fetchedat IS NULL AS \"Value\" FROM hangfire.jobqueue q JOIN runs r ON r.queue_job = q.jobid::text WHERE r.id = {0}", runId).SingleOrDefaultAsync();
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
    public async Task Forty_runs_on_two_nodes_of_two_slots_each_execute_exactly_once()
    {
        await StartNodesAsync(2, slots: 2);
        var clock = Stopwatch.StartNew();
        var runIds = await SubmitAsync(TextBaseline(epochs: 1), Enumerable.Range(1, 40).ToArray());
        foreach (var id in runIds) await WaitForStatusAsync(id, RunStatus.Succeeded, TimeSpan.FromMinutes(12));
        output.WriteLine($"40 runs on 2 nodes x 2 slots in {clock.Elapsed.TotalSeconds:F0} s");

        var runs = await Task.WhenAll(runIds.Select(RunAsync));
        Assert.All(runs, r => Assert.Equal(1, r.Attempt));
        foreach (var run in runs)
        {
            var log = await File.ReadAllTextAsync(run.LogPath!);
            Assert.Single(Regex.Matches(log, "^== attempt", RegexOptions.Multiline));
            // The node tells its trainer how many threads it may use (its cores shared by its slots).
            Assert.Matches(new Regex(@"^== OMP_NUM_THREADS=\d+, OPENBLAS_NUM_THREADS=\d+, OPENBLAS_CORETYPE=\w+$", RegexOptions.Multiline), log);
        }
        // One job per queueing, performed once and done with (a job ends just after its trainer has finished the run).
        await WaitUntilAsync(async () => (await Task.WhenAll(runIds.Select(id => Queue.Runs.StandingAsync(id, [])))).All(s => s!.State == "Succeeded"),
            TimeSpan.FromSeconds(60), "every run's Hangfire job has Succeeded");
        var perNode = runs.GroupBy(r => r.Node).Select(g => $"{g.Key}: {g.Count()}").ToList();
        output.WriteLine(string.Join(", ", perNode));
        Assert.Equal(2, perNode.Count);
    }

    [Fact]
    public async Task Cancel_stops_a_running_trainer_within_seconds()
    {
        await StartNodesAsync(1);
        var runId = (await SubmitAsync(TextBaseline(epochs: 500), 7))[0];
        await WaitForStepsAsync(runId);

        await CancelAsync(runId);
        var clock = Stopwatch.StartNew();
        await WaitForStatusAsync(runId, RunStatus.Canceled, TimeSpan.FromSeconds(30));
        output.WriteLine($"canceled after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"cancel took {clock.Elapsed.TotalSeconds:F1} s");
        await WaitUntilAsync(async () => (await Queue.Runs.StandingAsync(runId, []))!.State == "Succeeded", TimeSpan.FromSeconds(30),
            $"run {runId}'s job is done with, not left on the queue");
    }

    [Fact]
    public async Task A_queued_run_that_is_canceled_never_starts()
    {
        var canceled = (await SubmitAsync(TextBaseline(epochs: 1), 15))[0];
        var kept = (await SubmitAsync(TextBaseline(epochs: 1), 16))[0];
        await CancelAsync(canceled);
        Assert.Equal("Deleted", (await Queue.Runs.StandingAsync(canceled, []))!.State);

        await StartNodesAsync(1);
        await WaitForStatusAsync(kept, RunStatus.Succeeded, TimeSpan.FromMinutes(3)); // queued after it: the node has passed it by
        var run = await RunAsync(canceled);
        Assert.Equal((RunStatus.Canceled, 0, null), (run.Status, run.Attempt, run.Node));
        Assert.False(File.Exists(Path.Combine(Artifacts, "runs", canceled.ToString(), "trainer.log")));
    }

    [Fact]
    public async Task A_killed_trainer_fails_its_run_and_keeps_its_log_and_metrics()
    {
        await StartNodesAsync(1);
        var runId = (await SubmitAsync(TextBaseline(epochs: 500), 8))[0];
        await WaitForStepsAsync(runId);
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
        // A failed run is the platform's to retry: Hangfire's job is done, not failed and retried.
        await WaitUntilAsync(async () => (await Queue.Runs.StandingAsync(runId, []))!.State == "Succeeded", TimeSpan.FromSeconds(30),
            $"run {runId}'s job is done with");
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
        // Hangfire drops the dead server 30 s after its last heartbeat; the recovery then hands the
        // job back where it was in the queue, ahead of the later run, rather than behind it.
        await WaitUntilAsync(() => IsWaitingForANodeAsync(first), TimeSpan.FromSeconds(70), $"run {first} is handed back to the queue");
        await CancelAsync(blocker);

        await WaitUntilAsync(async () => (await RunAsync(first)).Attempt == 2 || (await RunAsync(later)).Status != RunStatus.Queued,
            TimeSpan.FromMinutes(1), $"the freed node takes run {first} or run {later}");
        var (recovered, waiting) = (await RunAsync(first), await RunAsync(later));
        Assert.Equal((2, RunStatus.Running), (recovered.Attempt, recovered.Status));
        Assert.Equal(RunStatus.Queued, waiting.Status);

        await CancelAsync(first);
        await WaitForStatusAsync(later, RunStatus.Succeeded, TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task A_stopped_node_hands_its_run_back_at_once_and_the_other_node_resumes_it()
    {
        await StartNodesAsync(2);
        var runId = (await SubmitAsync(TextBaseline(epochs: 5000), 17))[0];
        await WaitForStepsAsync(runId);
        var stoppedName = (await RunAsync(runId)).Node;
        var stopped = nodes.Single(n => n.Name == stoppedName);

        var clock = Stopwatch.StartNew();
        Assert.Equal(0, stopped.Stop(TimeSpan.FromSeconds(40)));
        await WaitForAttemptAsync(runId, 2, TimeSpan.FromSeconds(60));
        output.WriteLine($"SIGTERM of {stopped.Name} to attempt 2 on the other node: {clock.Elapsed.TotalSeconds:F1} s");
        // Handed back, not waited out: faster than the server timeout (30 s) or the invisibility timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the run restarted {clock.Elapsed.TotalSeconds:F1} s after SIGTERM");
        Assert.NotEqual(stopped.Name, (await RunAsync(runId)).Node);
        var log = await File.ReadAllTextAsync((await RunAsync(runId)).LogPath!);
        Assert.Contains($"== node {stopped.Name} is shutting down: the run goes back to the queue", log);
        await CancelAsync(runId);
        await WaitForStatusAsync(runId, RunStatus.Canceled, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_run_asking_for_a_gpu_waits_while_only_cpu_nodes_are_up_and_says_why()
    {
        await StartNodesAsync(1);
        var gpu = (await SubmitAsync(TextBaseline(epochs: 1) with { Device = DeviceKinds.Gpu }, 18))[0];
        var any = (await SubmitAsync(TextBaseline(epochs: 1), 19))[0];
        var cpu = (await SubmitAsync(TextBaseline(epochs: 1) with { Device = DeviceKinds.Cpu }, 20))[0];
        await WaitForStatusAsync(any, RunStatus.Succeeded, TimeSpan.FromMinutes(3));
        await WaitForStatusAsync(cpu, RunStatus.Succeeded, TimeSpan.FromMinutes(3));

        var run = await RunAsync(gpu);
        Assert.Equal((RunStatus.Queued, 0), (run.Status, run.Attempt));
        var standing = (await Queue.Runs.StandingAsync(gpu, Queue.Servers.Live()))!;
        output.WriteLine(standing.Waiting);
        Assert.Equal((RunQueues.Gpu, "Enqueued"), (standing.Queue, standing.State));
        Assert.StartsWith("Waiting in queue 'gpu', which no worker node that is up takes runs from", standing.Waiting);
        Assert.Contains($"{nodes[0].Name.ToLowerInvariant()}: cpu, shared", standing.Waiting);
        await CancelAsync(gpu);
    }

    [Fact]
    public async Task A_run_marked_by_the_queue_migration_is_queued_again_and_finishes()
    {
        // What the queue's migration leaves: the run Queued, marked, on no Hangfire queue.
        var runId = (await SubmitAsync(TextBaseline(epochs: 1), 14))[0];
        await Queue.Runs.RemoveAsync(runId);
        await using (var db = postgres.NewContext())
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.QueueJob, RunQueue.PendingRequeue));

        await StartNodesAsync(1);
        await WaitForStatusAsync(runId, RunStatus.Succeeded, TimeSpan.FromMinutes(3));
        Assert.Equal(1, (await RunAsync(runId)).Attempt);
        Assert.Contains($"Run {runId} was marked to go back on the queue: queued again", nodes[0].Output);
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
        var clock = Stopwatch.StartNew();
        output.WriteLine($"killed node {dead.Name} at progress {first.Progress:F2}");

        await WaitUntilAsync(async () => (await RunAsync(runId)).Attempt == 2, TimeSpan.FromSeconds(120), $"run {runId} restarts on the other node");
        output.WriteLine($"kill -9 of {dead.Name} to attempt 2 on the other node: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"the run restarted {clock.Elapsed.TotalSeconds:F1} s after the kill");

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
