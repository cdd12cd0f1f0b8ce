using System.Diagnostics;
using System.Globalization;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Postgres;
using EmotionLab.Models.Corpora.EmoSynth;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Worker.Corpora;
using EmotionLab.Worker.Node;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// `bench queue` (shared/BENCHMARKS.md): tiny runs (one epoch of the text baseline on a small
/// EmoSynth) submitted at once, from this process as `submit` or the web app would, to two worker
/// nodes of one slot each, separate `serve` processes on an embedded PostgreSQL. Dispatch latency
/// of a run is its trainer start minus the later of its queue time and the moment its node's slot
/// became free (the previous run on that node finished), so it measures the queue, not the wait
/// for a slot. The first run on each node, picked up by an idle node, is the baseline. Then the
/// recovery: a long run's node is killed (-9) and the time until the other node starts the run's
/// next attempt is measured.
/// </summary>
public static class QueueBenchmark
{
    public static async Task<int> RunAsync(int runs, int dialogues, TextWriter output, CancellationToken cancellation)
    {
        var folder = Directory.CreateTempSubdirectory("bench-queue-").FullName;
        // The embedded server runs as the postgres user, which must be able to pass through.
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
        var nodes = new List<WorkerNodeProcess>();
        try
        {
            using var postgres = EmbeddedPostgres.Start(Path.Combine(folder, "postgres"), durable: false);
            await DatabaseSchema.MigrateAsync(postgres.ConnectionString, cancellation);
            var artifacts = Path.Combine(folder, "artifacts");
            using var database = new PlatformDatabase(postgres.ConnectionString);

            var source = Path.Combine(folder, "emosynth");
            await EmoSynthGenerator.GenerateAsync(source, new EmoSynthOptions(dialogues, Seed: 5), cancellation);
            var registered = await new CorpusRegistration(database.DataSource).RegisterAsync(
                new CorpusRegistrationRequest("emosynth-bench", "emosynth", source, CorpusRegistrationRequest.OutputFolderFor(artifacts, "emosynth-bench")),
                cancellation: cancellation);
            if (!registered.Succeeded) throw new InvalidOperationException($"bench queue: importing EmoSynth failed: {string.Join("; ", registered.Errors)}");

            await using var services = SubmitVerb.SubmissionServices(postgres.ConnectionString);
            var servers = services.GetRequiredService<QueueServerList>();
            foreach (var name in new[] { "bench-a", "bench-b" })
            {
                nodes.Add(new WorkerNodeProcess(name, postgres.ConnectionString, artifacts));
                await WaitUntilAsync(() => Task.FromResult(servers.Live().Any(s => s.IsServerOf(name))), TimeSpan.FromMinutes(2), $"worker node {name} starts", cancellation);
            }

            var spec = new ExperimentSpec
            {
                Corpus = "emosynth-bench", LabelSet = "meld7", Modalities = Modalities.Text, Epochs = 1, Patience = 1,
                Baselines = new BaselinesConfig { Variant = BaselinesConfig.TextVariant },
            };
            var submission = services.GetRequiredService<ExperimentSubmission>();
            var clock = Stopwatch.StartNew();
            var submitted = await submission.SubmitExperimentAsync("bench queue", spec, Enumerable.Range(1, runs).ToArray(), cancellation);
            if (!submitted.Succeeded) throw new InvalidOperationException($"bench queue: {string.Join("; ", submitted.Problems)}");

            List<Run> finished;
            await using (var db = new EmotionLabDbContext(EmotionLabDbContext.Options(postgres.ConnectionString)))
            {
                while (true)
                {
                    finished = await db.Runs.AsNoTracking().Where(r => r.FinishedAt != null).ToListAsync(cancellation);
                    if (finished.Count == runs) break;
                    if (nodes.FirstOrDefault(n => n.HasExited) is { } exited)
                        throw new InvalidOperationException($"bench queue: worker node {exited.Name} exited:\n{exited.Output}");
                    await Task.Delay(500, cancellation);
                }
            }
            var elapsed = clock.Elapsed;

            var idle = new List<double>();
            var dispatch = new List<double>();
            foreach (var node in finished.GroupBy(r => r.Node))
            {
                DateTimeOffset? slotFree = null;
                foreach (var run in node.OrderBy(r => r.StartedAt))
                {
                    var ready = slotFree is { } free && free > run.QueuedAt ? free : run.QueuedAt;
                    var latency = (run.StartedAt!.Value - ready).TotalMilliseconds;
                    (slotFree is null ? idle : dispatch).Add(latency / 1000);
                    slotFree = run.FinishedAt;
                }
            }
            var failed = finished.Count(r => r.Status != RunStatus.Succeeded);
            void Line(string name, double value, string format = "F2") => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value.ToString(format, CultureInfo.InvariantCulture)}"));
            output.WriteLine($"queue_runs: {runs} ({failed} not Succeeded) on 2 nodes x 1 slot");
            Line("queue_dispatch_s.p50", Statistics.Percentile(dispatch, 50));
            Line("queue_dispatch_s.p95", Statistics.Percentile(dispatch, 95));
            Line("queue_dispatch_s.max", dispatch.Max());
            Line("queue_dispatch_s.idle_worker", idle.Average());
            Line("queue_runs_per_min", runs / elapsed.TotalMinutes, "F1");

            var recovery = await RecoveryAsync(postgres.ConnectionString, submission, spec, nodes, cancellation);
            Line("queue_recovery_s", recovery.TotalSeconds, "F1");
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>kill -9 of the node training a long run, to the start of the run's next attempt on the other node.</summary>
    private static async Task<TimeSpan> RecoveryAsync(string connectionString, ExperimentSubmission submission, ExperimentSpec spec,
        List<WorkerNodeProcess> nodes, CancellationToken cancellation)
    {
        var submitted = await submission.SubmitExperimentAsync("bench queue recovery", spec with { Epochs = 5000, Patience = 5000 }, [0], cancellation);
        var runId = submitted.RunIds.Single();
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
        async Task<Run> RunAsync() => await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, cancellation);
        await WaitUntilAsync(async () => await db.StepLosses.AnyAsync(s => s.RunId == runId, cancellation), TimeSpan.FromMinutes(2), $"run {runId} trains", cancellation);

        var node = (await RunAsync()).Node;
        nodes.Single(n => n.Name == node).KillNodeOnly();
        var clock = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await RunAsync()).Attempt == 2, TimeSpan.FromMinutes(3), $"run {runId} restarts on the other node", cancellation);
        var recovery = clock.Elapsed;
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequested, true), cancellation);
        return recovery;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"bench queue: timed out after {timeout.TotalSeconds:0} s waiting until {what}");
            await Task.Delay(100, cancellation);
        }
    }
}
