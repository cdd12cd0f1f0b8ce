using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Data.Tests;
using EmotionLab.Worker.Benchmarks;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EmotionLab.Worker.Tests.Benchmarks;

/// <summary>The lab `bench dashboard` measures, written into its own database on the throwaway server.</summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class SyntheticLabTests(ThrowawayPostgres postgres)
{
    private async Task<string> NewDatabaseAsync()
    {
        var name = "synthetic_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = name }.ConnectionString;
        await DatabaseSchema.MigrateAsync(connectionString);
        return connectionString;
    }

    private static async Task<List<string>> ConstraintsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint " +
            "WHERE connamespace = 'public'::regnamespace ORDER BY 1", connection);
        var constraints = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) constraints.Add(reader.GetString(0));
        return constraints;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Writes_the_requested_runs_and_metric_points_and_leaves_the_schema_as_migrated()
    {
        var connectionString = await NewDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var constraintsBefore = await ConstraintsAsync(connection);

        var summary = await SyntheticLab.WriteAsync(connectionString, runs: 600, metricPoints: 120_000);

        Assert.Equal(600, summary.Runs);
        Assert.Equal(120_000, summary.MetricPoints);
        Assert.Equal(600, await ScalarAsync(connection, "SELECT count(*) FROM runs"));
        Assert.Equal(summary.StepLosses, await ScalarAsync(connection, "SELECT count(*) FROM step_losses"));
        Assert.Equal(summary.EpochMetrics, await ScalarAsync(connection, "SELECT count(*) FROM epoch_metrics"));
        Assert.Equal(summary.ConfusionMatrices, await ScalarAsync(connection, "SELECT count(*) FROM confusion_matrices"));
        Assert.Equal(constraintsBefore, await ConstraintsAsync(connection));
        Assert.Equal(0, await ScalarAsync(connection, "SELECT count(*) FROM runs WHERE status = 'Queued' AND best_epoch IS NOT NULL"));
        Assert.True(await ScalarAsync(connection, "SELECT count(DISTINCT status) FROM runs") == 5, "every status appears");
        // The best epoch is the one with the highest validation weighted F1, and it has a test score.
        Assert.Equal(0, await ScalarAsync(connection, """
            SELECT count(*) FROM runs r WHERE r.status = 'Succeeded' AND (
                r.best_epoch IS DISTINCT FROM (SELECT m.epoch FROM epoch_metrics m WHERE m.run_id = r.id AND m.split = 'validation' ORDER BY m.weighted_f1 DESC, m.epoch LIMIT 1)
                OR NOT EXISTS (SELECT 1 FROM epoch_metrics t WHERE t.run_id = r.id AND t.split = 'test' AND t.epoch = r.best_epoch))
            """));

        // The grid page's query sees a whole grid, and the id sequences continue after the loaded rows.
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
        var grid = await new GridResultsQuery(db).ExecuteAsync(summary.GridIds[0]);
        Assert.NotNull(grid);
        Assert.Equal(SyntheticLab.VariantsPerGrid, grid.Variants.Count);
        Assert.Equal(SyntheticLab.VariantsPerGrid * SyntheticLab.SeedsPerExperiment, grid.Variants.Sum(v => v.Queued + v.Running + v.Succeeded + v.Failed + v.Canceled));
        var run = await db.Runs.AsNoTracking().FirstAsync();
        db.Runs.Add(new Run { ExperimentId = run.ExperimentId, Family = run.Family, CorpusId = run.CorpusId, Seed = 99, QueuedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        Assert.Equal(601, await db.Runs.CountAsync());
    }
}
