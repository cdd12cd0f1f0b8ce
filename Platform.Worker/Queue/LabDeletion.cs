using EmotionLab.Data;
using EmotionLab.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// Deletes a run, an experiment (with its runs) or a grid (with its experiments and runs): the
/// runs still queued or training are canceled first and waited for, then every row goes in one
/// transaction (metrics, matrices, checkpoints' rows and history follow their run), the deletion is
/// recorded with who did it, and last each run's folder under the artifact root (log, checkpoints,
/// predictions) is removed from disk. Who may delete is the caller's check (its owner or an admin).
/// </summary>
public sealed class LabDeletion(PlatformDatabase database, RunControl control, string artifactRoot)
{
    /// <summary>How long a delete waits for canceled trainers to stop before it gives up (and deletes nothing).</summary>
    public TimeSpan StopWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>What deleting it would take with it; Plan null and Refusal null when there is no such thing.</summary>
    public async Task<(DeletionPlan? Plan, string? Refusal)> PlanAsync(string kind, long id, CancellationToken cancellation = default)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellation);
        string name;
        long? ownerId;
        string runsWhere;
        switch (kind)
        {
            case Deletion.RunKind:
                if (await ReadAsync(connection, """
                        SELECT e.name || CASE WHEN r.variant = '' THEN '' ELSE ' / ' || r.variant END || ', seed ' || r.seed, e.owner_id, NULL::bigint
                        FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = @id
                        """, id, cancellation) is not { } run) return (null, null);
                (name, ownerId, runsWhere) = (run.Name, run.OwnerId, "id = @id");
                break;
            case Deletion.ExperimentKind:
                if (await ReadAsync(connection, "SELECT e.name, e.owner_id, e.grid_id FROM experiments e WHERE e.id = @id", id, cancellation) is not { } experiment)
                    return (null, null);
                if (experiment.GridId is { } gridId)
                    return (null, $"experiment #{id} is a variant of grid #{gridId}: delete the grid, or its runs one at a time");
                (name, ownerId, runsWhere) = (experiment.Name, experiment.OwnerId, "experiment_id = @id");
                break;
            case Deletion.GridKind:
                if (await ReadAsync(connection, "SELECT g.name, g.owner_id, g.id FROM grids g WHERE g.id = @id", id, cancellation) is not { } grid) return (null, null);
                (name, ownerId, runsWhere) = (grid.Name, grid.OwnerId, "grid_id = @id");
                break;
            default:
                throw new ArgumentException($"'{kind}' is not a kind of deletion; use run, experiment or grid", nameof(kind));
        }

        await using var counts = new NpgsqlCommand($"""
            WITH gone AS (SELECT id, status FROM runs WHERE {runsWhere})
            SELECT coalesce(array_agg(id ORDER BY id), ARRAY[]::bigint[]),
                   count(*) FILTER (WHERE status IN ('Queued', 'Running'))::int,
                   (SELECT count(*) FROM step_losses WHERE run_id IN (SELECT id FROM gone))
                   + (SELECT count(*) FROM epoch_metrics WHERE run_id IN (SELECT id FROM gone))
                   + (SELECT count(*) FROM confusion_matrices WHERE run_id IN (SELECT id FROM gone)),
                   (SELECT count(*)::int FROM artifacts WHERE kind = 'checkpoint' AND run_id IN (SELECT id FROM gone))
            FROM gone
            """, connection);
        counts.Parameters.AddWithValue("id", id);
        await using var reader = await counts.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var runIds = reader.GetFieldValue<long[]>(0);
        var (predictions, bytes) = OnDisk(runIds);
        return (new DeletionPlan(kind, id, name, ownerId, runIds, reader.GetInt32(1), reader.GetInt64(2), reader.GetInt32(3), predictions, bytes), null);
    }

    /// <summary>
    /// Deletes it as <see cref="PlanAsync"/> counts it at this moment (a grid that gained seeds since
    /// the confirmation loses those runs too). Null when it is gone; otherwise why nothing was deleted.
    /// </summary>
    /// <param name="actorId">the account that deletes, recorded with the deletion (null: a node's CLI)</param>
    public async Task<(Deletion? Deleted, string? Problem)> DeleteAsync(string kind, long id, long? actorId, CancellationToken cancellation = default)
    {
        var (plan, refusal) = await PlanAsync(kind, id, cancellation);
        if (plan is null) return (null, refusal ?? $"there is no {kind} {id}");
        if (plan.ActiveRuns > 0 && await StopActiveRunsAsync(plan, actorId, cancellation) is { } stillRunning)
            return (null, $"{plan.Title} was not deleted: {stillRunning} still stopping after {StopWait.TotalSeconds:0} s; delete it again in a moment");

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        var (runsWhere, experimentsWhere) = kind switch
        {
            Deletion.RunKind => ("id = @id", null),
            Deletion.ExperimentKind => ("experiment_id = @id", "id = @id"),
            _ => ("grid_id = @id", "grid_id = @id"),
        };
        // The runs' ids as deleted, not as planned: a retry or added seeds may have changed them.
        await using var runs = new NpgsqlCommand($"DELETE FROM runs WHERE {runsWhere} RETURNING id, grid_id", connection, transaction);
        runs.Parameters.AddWithValue("id", id);
        var deletedRuns = new List<long>();
        long? gridId = kind == Deletion.GridKind ? id : null;
        await using (var reader = await runs.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation))
            {
                deletedRuns.Add(reader.GetInt64(0));
                if (!reader.IsDBNull(1)) gridId ??= reader.GetInt64(1);
            }
        if (experimentsWhere is not null) await ExecuteAsync(connection, transaction, $"DELETE FROM experiments WHERE {experimentsWhere}", id, cancellation);
        if (kind == Deletion.GridKind) await ExecuteAsync(connection, transaction, "DELETE FROM grids WHERE id = @id", id, cancellation);

        var deletion = new Deletion
        {
            Kind = kind, TargetId = id, Name = plan.Name, RunIds = [.. deletedRuns.Order()], GridId = gridId, Summary = (plan with { RunIds = deletedRuns }).Summary,
            UserId = actorId, At = DateTimeOffset.UtcNow,
        };
        await using (var record = new NpgsqlCommand("""
            INSERT INTO deletions (kind, target_id, name, run_ids, grid_id, summary, user_id, at)
            VALUES (@kind, @id, @name, @runs, @grid, @summary, @user, @at) RETURNING id
            """, connection, transaction))
        {
            record.Parameters.AddWithValue("kind", deletion.Kind);
            record.Parameters.AddWithValue("id", id);
            record.Parameters.AddWithValue("name", deletion.Name);
            record.Parameters.AddWithValue("runs", deletion.RunIds);
            record.Parameters.Add(new NpgsqlParameter<long?>("grid", gridId) { NpgsqlDbType = NpgsqlDbType.Bigint });
            record.Parameters.AddWithValue("summary", deletion.Summary);
            record.Parameters.Add(new NpgsqlParameter<long?>("user", actorId) { NpgsqlDbType = NpgsqlDbType.Bigint });
            record.Parameters.AddWithValue("at", deletion.At);
            deletion.Id = (long)(await record.ExecuteScalarAsync(cancellation))!;
        }
        await transaction.CommitAsync(cancellation);

        // Rows first, files second: a folder left behind by a failure here is only disk, never a run without its files.
        foreach (var runId in deletion.RunIds)
        {
            var folder = RunFolder(runId);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        return (deletion, null);
    }

    /// <summary>The folder of a run's log, checkpoints and predictions.</summary>
    public string RunFolder(long runId) => Path.Combine(artifactRoot, "runs", runId.ToString());

    // Cancels every queued or training run and waits until none is Running; null when all stopped, else the runs still stopping.
    private async Task<string?> StopActiveRunsAsync(DeletionPlan plan, long? actorId, CancellationToken cancellation)
    {
        foreach (var runId in plan.RunIds) await control.CancelAsync(runId, cancellation, actorId);
        var deadline = DateTimeOffset.UtcNow + StopWait;
        while (true)
        {
            await using var command = database.DataSource.CreateCommand("SELECT array_agg(id ORDER BY id) FROM runs WHERE id = ANY(@ids) AND status = 'Running'");
            command.Parameters.AddWithValue("ids", plan.RunIds.ToArray());
            if (await command.ExecuteScalarAsync(cancellation) is not long[] running) return null;
            if (DateTimeOffset.UtcNow >= deadline) return (running.Length == 1 ? "run #" : "runs #") + string.Join(", #", running) + (running.Length == 1 ? " is" : " are");
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellation);
        }
    }

    private (int PredictionFiles, long Bytes) OnDisk(IEnumerable<long> runIds)
    {
        var (predictions, bytes) = (0, 0L);
        foreach (var runId in runIds)
        {
            var folder = new DirectoryInfo(RunFolder(runId));
            if (!folder.Exists) continue;
            foreach (var file in folder.EnumerateFiles("*", SearchOption.AllDirectories))
            {
                bytes += file.Length;
                if (file.Directory?.Name == "predictions") predictions++;
            }
        }
        return (predictions, bytes);
    }

    private sealed record Target(string Name, long? OwnerId, long? GridId);

    private static async Task<Target?> ReadAsync(NpgsqlConnection connection, string sql, long id, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        if (!await reader.ReadAsync(cancellation)) return null;
        return new Target(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, long id, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
