using System.Globalization;
using EmotionLab.Data;
using EmotionLab.Data.Queries;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// Puts runs on the Hangfire queue: one job per time a run is queued (its submission, each retry),
/// in the queue of the node kind it needs (<see cref="RunQueues"/>). The run remembers its job
/// (runs.queue_job), so a cancel can delete it and pages can link to it. Works from a process that
/// is no worker node (the web app in scale-out mode, `submit`).
/// </summary>
public sealed class RunQueue(IBackgroundJobClient jobs, PlatformDatabase database)
{
    /// <summary>
    /// runs.queue_job of a run that is on no queue but must be: the migration that moved the queue
    /// to Hangfire sets it on the runs that were waiting or running, and <see cref="AbandonedJobRecovery"/> queues them.
    /// </summary>
    public const string PendingRequeue = "requeue";

    public async Task<string> EnqueueAsync(long runId, CancellationToken cancellation = default)
    {
        var queue = RunQueues.For(await DeviceOfAsync(runId, cancellation));
        var jobId = jobs.Create(Job.FromExpression<RunJob>(job => job.ExecuteAsync(runId, CancellationToken.None)), new EnqueuedState(queue));
        await using var remember = database.DataSource.CreateCommand("UPDATE runs SET queue_job = @job WHERE id = @run");
        remember.Parameters.AddWithValue("job", jobId);
        remember.Parameters.AddWithValue("run", runId);
        await remember.ExecuteNonQueryAsync(cancellation);
        return jobId;
    }

    /// <summary>Deletes a queued run's job (a cancel before it started), so no node takes it; false when it had none on the queue.</summary>
    public async Task<bool> RemoveAsync(long runId, CancellationToken cancellation = default) =>
        await JobOfAsync(runId, cancellation) is { } jobId && jobs.Delete(jobId);

    /// <summary>Where the run stands on the queue (<see cref="QueueStanding"/>), or null when it has no job (it was never queued).</summary>
    /// <param name="servers">the nodes that are up (<see cref="QueueServerList"/>)</param>
    public async Task<QueueStanding?> StandingAsync(long runId, IReadOnlyList<QueueServer> servers, CancellationToken cancellation = default)
    {
        if (await JobOfAsync(runId, cancellation) is not { } jobId) return null;
        var queue = RunQueues.For(await DeviceOfAsync(runId, cancellation));
        // Runs ahead: jobs of the same queue that no node has taken yet and that come first (job-id order, as nodes fetch).
        await using var command = database.DataSource.CreateCommand("""
            SELECT j.statename,
                   (SELECT count(*) FROM hangfire.jobqueue o JOIN hangfire.job oj ON oj.id = o.jobid
                    WHERE o.queue = @queue AND o.fetchedat IS NULL AND o.jobid < j.id AND oj.statename = 'Enqueued')
            FROM hangfire.job j WHERE j.id = @job
            """);
        command.Parameters.AddWithValue("job", long.Parse(jobId, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("queue", queue);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        // A job Hangfire has expired (a day after it finished) is no longer stored.
        if (!await reader.ReadAsync(cancellation)) return new QueueStanding(jobId, "expired", queue, 0, null);
        var state = reader.IsDBNull(0) ? "" : reader.GetString(0);
        var waiting = state == EnqueuedState.StateName ? QueueStanding.WaitingReason(queue, servers) : null;
        return new QueueStanding(jobId, state, queue, (int)reader.GetInt64(1), waiting);
    }

    private async Task<string?> JobOfAsync(long runId, CancellationToken cancellation)
    {
        await using var command = database.DataSource.CreateCommand("SELECT queue_job FROM runs WHERE id = @run");
        command.Parameters.AddWithValue("run", runId);
        return await command.ExecuteScalarAsync(cancellation) is string job && job != PendingRequeue ? job : null;
    }

    // The spec's "device" (null: any node), read from the run's experiment.
    private async Task<string?> DeviceOfAsync(long runId, CancellationToken cancellation)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT e.spec_json::jsonb ->> 'device' FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = @run");
        command.Parameters.AddWithValue("run", runId);
        return await command.ExecuteScalarAsync(cancellation) switch
        {
            string device => device,
            DBNull => null,
            _ => throw new InvalidOperationException($"run {runId} does not exist: nothing to queue"),
        };
    }
}
