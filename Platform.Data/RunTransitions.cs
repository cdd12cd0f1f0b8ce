using EmotionLab.Data.Entities;
using Npgsql;

namespace EmotionLab.Data;

/// <summary>
/// The status changes of a run that more than one process may race on, each one guarded SQL
/// statement so the database decides who wins: a worker claiming a run, a worker closing a run its
/// trainer left Running, the web app cancelling or retrying.
/// </summary>
public sealed class RunTransitions(NpgsqlDataSource database)
{
    /// <summary>
    /// A worker starts an attempt: Queued (or Running, when a node died and the run is recovered)
    /// becomes Running with the next attempt number. Null when the run is finished or was cancelled
    /// meanwhile; a Queued run with its cancel flag set becomes Canceled here.
    /// </summary>
    public async Task<int?> ClaimAsync(long runId, string node, string device, string logPath, CancellationToken cancellation = default)
    {
        await using var claim = database.CreateCommand("""
            UPDATE runs SET status = 'Running', attempt = attempt + 1, node = @node, device = @device, log_path = @log,
                            started_at = COALESCE(started_at, now()), finished_at = NULL, error = NULL
            WHERE id = @run AND status IN ('Queued', 'Running') AND NOT cancel_requested
            RETURNING attempt
            """);
        claim.Parameters.AddWithValue("run", runId);
        claim.Parameters.AddWithValue("node", node);
        claim.Parameters.AddWithValue("device", device);
        claim.Parameters.AddWithValue("log", logPath);
        if (await claim.ExecuteScalarAsync(cancellation) is int attempt) return attempt;

        await using var canceled = database.CreateCommand(
            "UPDATE runs SET status = 'Canceled', finished_at = now() WHERE id = @run AND status IN ('Queued', 'Running') AND cancel_requested");
        canceled.Parameters.AddWithValue("run", runId);
        await canceled.ExecuteNonQueryAsync(cancellation);
        return null;
    }

    /// <summary>
    /// After the trainer process of <paramref name="attempt"/> exited: if the run is still Running
    /// in that attempt, it ends with this status and error. A later attempt (a quick retry) is left alone.
    /// </summary>
    public async Task<bool> CloseIfStillRunningAsync(long runId, int attempt, RunStatus status, string? error, CancellationToken cancellation = default)
    {
        await using var command = database.CreateCommand(
            "UPDATE runs SET status = @status, error = @error, finished_at = now() WHERE id = @run AND attempt = @attempt AND status = 'Running'");
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("attempt", attempt);
        command.Parameters.AddWithValue("status", status.ToString());
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellation) == 1;
    }

    public async Task<bool> IsCancelRequestedAsync(long runId, CancellationToken cancellation = default)
    {
        await using var command = database.CreateCommand("SELECT cancel_requested FROM runs WHERE id = @run");
        command.Parameters.AddWithValue("run", runId);
        return await command.ExecuteScalarAsync(cancellation) is true;
    }

    /// <summary>
    /// The user cancels: a Queued run is Canceled at once, a Running one gets its flag (its trainer
    /// stops within a few steps, or is killed after the grace period). False when the run is already finished.
    /// </summary>
    /// <param name="actorId">The account that cancels, recorded with the change in run_actions (null: a node's CLI).</param>
    public async Task<bool> RequestCancelAsync(long runId, CancellationToken cancellation = default, long? actorId = null)
    {
        await using var command = database.CreateCommand("""
            WITH changed AS (
                UPDATE runs SET cancel_requested = true,
                                status = CASE WHEN status = 'Queued' THEN 'Canceled' ELSE status END,
                                finished_at = CASE WHEN status = 'Queued' THEN now() ELSE finished_at END
                WHERE id = @run AND status IN ('Queued', 'Running')
                RETURNING id)
            INSERT INTO run_actions (run_id, action, user_id, at) SELECT id, @action, @actor, now() FROM changed
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("action", RunAction.Canceled);
        command.Parameters.Add(new NpgsqlParameter<long?>("actor", actorId) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        return await command.ExecuteNonQueryAsync(cancellation) == 1;
    }

    /// <summary>
    /// The user retries a Failed or Canceled run: it is Queued again for a new attempt, which resumes
    /// from the run's last checkpoint when there is one. False when the run is not Failed or Canceled.
    /// </summary>
    /// <param name="actorId">The account that retries, recorded with the change in run_actions (null: a node's CLI).</param>
    public async Task<bool> RequeueAsync(long runId, CancellationToken cancellation = default, long? actorId = null)
    {
        await using var command = database.CreateCommand("""
            WITH changed AS (
                UPDATE runs SET status = 'Queued', cancel_requested = false, error = NULL, finished_at = NULL, queued_at = now()
                WHERE id = @run AND status IN ('Failed', 'Canceled')
                RETURNING id)
            INSERT INTO run_actions (run_id, action, user_id, at) SELECT id, @action, @actor, now() FROM changed
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("action", RunAction.Retried);
        command.Parameters.Add(new NpgsqlParameter<long?>("actor", actorId) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        return await command.ExecuteNonQueryAsync(cancellation) == 1;
    }
}
