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
/// EmoSynth) submitted at once to two worker nodes of one slot each, separate processes on an
/// embedded PostgreSQL. Dispatch latency of a run is its trainer start minus the later of its
/// queue time and the moment its node's slot became free (the previous run on that node
/// finished), so it measures the queue, not the wait for a slot. The first run on each node,
/// picked up by a worker already idle-polling, is the baseline.
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

            foreach (var name in new[] { "bench-a", "bench-b" })
            {
                nodes.Add(new WorkerNodeProcess(name, postgres.ConnectionString, artifacts));
                await WaitForHeartbeatAsync(database, name, cancellation);
            }

            var spec = new ExperimentSpec
            {
                Corpus = "emosynth-bench", LabelSet = "meld7", Modalities = Modalities.Text, Epochs = 1, Patience = 1,
                Baselines = new BaselinesConfig { Variant = BaselinesConfig.TextVariant },
            };
            await using var services = SubmitVerb.SubmissionServices(postgres.ConnectionString);
            var clock = Stopwatch.StartNew();
            var submitted = await services.GetRequiredService<ExperimentSubmission>()
                .SubmitExperimentAsync("bench queue", spec, Enumerable.Range(1, runs).ToArray(), cancellation);
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
                    (slotFree is null ? idle : dispatch).Add(latency);
                    slotFree = run.FinishedAt;
                }
            }
            var failed = finished.Count(r => r.Status != RunStatus.Succeeded);
            void Line(string name, double value) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:F1}"));
            output.WriteLine($"queue_runs: {runs} ({failed} not Succeeded) on 2 nodes x 1 slot");
            Line("queue_dispatch_ms.p50", Statistics.Percentile(dispatch, 50));
            Line("queue_dispatch_ms.p95", Statistics.Percentile(dispatch, 95));
            Line("queue_dispatch_ms.max", dispatch.Max());
            Line("queue_dispatch_ms.idle_worker", idle.Average());
            Line("queue_runs_per_minute", runs / elapsed.TotalMinutes);
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WaitForHeartbeatAsync(PlatformDatabase database, string name, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM worker_nodes WHERE name = @name");
            command.Parameters.AddWithValue("name", name);
            if ((long)(await command.ExecuteScalarAsync(cancellation))! > 0) return;
            await Task.Delay(250, cancellation);
        }
        throw new TimeoutException($"bench queue: worker node {name} did not start within 2 minutes");
    }
}
