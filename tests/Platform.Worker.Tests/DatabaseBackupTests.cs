using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Postgres;
using EmotionLab.Data.Tests;
using EmotionLab.Worker.Tests.Grids;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EmotionLab.Worker.Tests;

/// <summary>
/// `db backup` and `db restore` through the command line, between real servers: the restore into a
/// fresh server holds every run, metric and matrix; a restore into a database with tables, or of a
/// damaged file, changes nothing.
/// </summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class DatabaseBackupTests(ThrowawayPostgres postgres) : IDisposable
{
    private readonly string folder = CreateFolder();

    private static string CreateFolder()
    {
        var folder = Directory.CreateTempSubdirectory("emotionlab-backup-").FullName;
        File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.OtherExecute); // the fresh servers run as postgres under root
        return folder;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // A run with scores and a matrix of its own, so the backup has them whatever else the shared server holds.
    private async Task<long> SeedRunAsync()
    {
        await DatabaseSchema.MigrateAsync(postgres.ConnectionString);
        await using var db = postgres.NewContext();
        var corpus = new Corpus { Name = "emosynth-" + Guid.NewGuid().ToString("N")[..8], Format = "emosynth", SourcePath = "/nowhere", ContentHash = "-", ImportedAt = DateTimeOffset.UtcNow };
        db.Corpora.Add(corpus);
        await db.SaveChangesAsync();
        var experiment = new Experiment { Name = "backed up", Family = "baselines", CorpusId = corpus.Id, SpecJson = "{}", SpecHash = "h", CreatedAt = DateTimeOffset.UtcNow };
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync();
        var run = new Run { ExperimentId = experiment.Id, Family = "baselines", CorpusId = corpus.Id, Seed = 4, Status = RunStatus.Succeeded, Attempt = 1, BestEpoch = 2, QueuedAt = DateTimeOffset.UtcNow };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        db.EpochMetrics.Add(new EpochMetric { RunId = run.Id, Epoch = 2, Split = "test", WA = 0.61, UA = 0.52, WeightedF1 = 0.6012345678901234, MacroF1 = 0.5 });
        db.ConfusionMatrices.Add(new ConfusionMatrixRow { RunId = run.Id, Epoch = 2, Split = "test", Labels = ["neutral", "joy"], Counts = [7, 1, 2, 9] });
        db.StepLosses.Add(new StepLoss { RunId = run.Id, Step = 1, Epoch = 1, Loss = 1.25, LearningRate = 1e-3 });
        await db.SaveChangesAsync();
        return run.Id;
    }

    private static async Task<long> CountAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static readonly string[] Tables = ["corpora", "utterances", "experiments", "grids", "runs", "step_losses", "epoch_metrics", "confusion_matrices"];

    [Fact]
    public async Task A_backup_restores_into_a_fresh_server_with_every_run_metric_and_matrix()
    {
        var runId = await SeedRunAsync();
        var file = Path.Combine(folder, "lab.dump");
        var (exit, output, errors) = await WorkerCommandLine.RunAsync("db", "backup", "--out", file, "--database", postgres.ConnectionString);
        Assert.True(exit == 0, errors);
        Assert.Contains($"backed up to {file}", output);
        Assert.False(File.Exists(file + ".partial"));

        using var fresh = EmbeddedPostgres.Start(Path.Combine(folder, "fresh"), durable: false);
        (exit, output, errors) = await WorkerCommandLine.RunAsync("db", "restore", file, "--database", fresh.ConnectionString);
        Assert.True(exit == 0, errors);
        foreach (var table in Tables)
            Assert.Equal(await CountAsync(postgres.ConnectionString, table), await CountAsync(fresh.ConnectionString, table));

        await using (var db = new EmotionLabDbContext(EmotionLabDbContext.Options(fresh.ConnectionString)))
        {
            var run = await db.Runs.SingleAsync(r => r.Id == runId);
            Assert.Equal((RunStatus.Succeeded, 4, 2), (run.Status, run.Seed, run.BestEpoch));
            Assert.Equal(0.6012345678901234, (await db.EpochMetrics.SingleAsync(m => m.RunId == runId)).WeightedF1);
            var matrix = await db.ConfusionMatrices.SingleAsync(m => m.RunId == runId);
            Assert.Equal(new[] { 7, 1, 2, 9 }, matrix.Counts);
            // The restored schema is the platform's: its migrations are all applied, so the app starts on it as it is.
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        // Into a database that has tables: refused, and nothing in it changes.
        var runs = await CountAsync(fresh.ConnectionString, "runs");
        (exit, _, errors) = await WorkerCommandLine.RunAsync("db", "restore", file, "--database", fresh.ConnectionString);
        Assert.Equal(1, exit);
        Assert.Contains("already holds", errors);
        Assert.Equal(runs, await CountAsync(fresh.ConnectionString, "runs"));
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_damaged_backup_restores_nothing_and_a_backup_that_cannot_be_written_leaves_no_file()
    {
        await SeedRunAsync();
        var file = Path.Combine(folder, "lab.dump");
        Assert.Equal(0, (await WorkerCommandLine.RunAsync("db", "backup", "--out", file, "--database", postgres.ConnectionString)).Exit);
        var damaged = Path.Combine(folder, "damaged.dump");
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(damaged, bytes[..(bytes.Length * 4 / 5)]);

        using var fresh = EmbeddedPostgres.Start(Path.Combine(folder, "fresh"), durable: false);
        var (exit, _, errors) = await WorkerCommandLine.RunAsync("db", "restore", damaged, "--database", fresh.ConnectionString);
        Assert.Equal(1, exit);
        Assert.StartsWith("db: pg_restore exited with", errors);
        await using (var connection = new NpgsqlConnection(fresh.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
            Assert.Equal(0L, await command.ExecuteScalarAsync()); // one transaction: not a table of it stayed
        }

        var unwritable = Path.Combine(folder, "missing-folder", "lab.dump");
        (exit, _, errors) = await WorkerCommandLine.RunAsync("db", "backup", "--out", unwritable, "--database", postgres.ConnectionString);
        Assert.Equal(1, exit);
        Assert.StartsWith("db: pg_dump exited with", errors);
        Assert.False(Directory.Exists(Path.GetDirectoryName(unwritable)));

        (exit, _, errors) = await WorkerCommandLine.RunAsync("db", "restore", Path.Combine(folder, "nope.dump"), "--database", fresh.ConnectionString);
        Assert.Equal((1, $"db: there is no backup {Path.Combine(folder, "nope.dump")}\n"), (exit, errors));
        NpgsqlConnection.ClearAllPools();
    }
}
