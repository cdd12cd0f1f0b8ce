using EmotionLab.Data;
using EmotionLab.Worker.Node;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// Gives a dead node's runs back to the queue, in their place. A node killed outright leaves its
/// jobs fetched (Hangfire state Processing on a server that no longer exists once Hangfire's
/// server watchdog has dropped it, 30 s after its last heartbeat). The invisibility timeout would
/// free them later, but Hangfire.PostgreSql fetches never-fetched jobs first, which would put a
/// recovered run behind every run queued after it. Clearing the fetch time instead puts it back
/// in its job-id order, and another node resumes it from its last checkpoint as the next attempt.
/// It also queues the runs marked <see cref="RunQueue.PendingRequeue"/> by the queue's migration.
/// </summary>
public sealed class AbandonedJobRecovery(PlatformDatabase database, RunQueue queue, WorkerNodeOptions options, ILogger<AbandonedJobRecovery> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.RecoverySweepSeconds));
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database blip must not stop the node: the next pass tries again.
                log.LogWarning("Recovery sweep on {Node} failed: {Message}", options.Name, e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task SweepAsync(CancellationToken cancellation)
    {
        // One sweeper at a time across the cluster, so two nodes never queue a marked run twice.
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellation);
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({SweepLock})", connection))
            if (await tryLock.ExecuteScalarAsync(cancellation) is not true) return;
        try
        {
            await using (var release = new NpgsqlCommand(ReleaseAbandoned, connection))
            await using (var reader = await release.ExecuteReaderAsync(cancellation))
                while (await reader.ReadAsync(cancellation))
                    log.LogWarning("Job {Job} ({Run}) was taken by {Server}, which is gone: back on queue {Queue} in its place; it resumes from its last checkpoint",
                        reader.GetInt64(0), reader.IsDBNull(2) ? "no run" : $"run {reader.GetInt64(2)}", reader.GetString(3), reader.GetString(1));

            foreach (var runId in await PendingRequeueAsync(connection, cancellation))
            {
                log.LogInformation("Run {Run} was marked to go back on the queue: queued again", runId);
                await queue.EnqueueAsync(runId, cancellation);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({SweepLock})", connection);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    // An arbitrary application-wide key for pg_advisory_lock ("ELrecovr" in ASCII).
    private const long SweepLock = 0x454C7265636F7672;

    // Fetched jobs whose Processing state names a Hangfire server that no longer exists. A job
    // fetched a moment ago may not be Processing yet: it is left alone.
    private const string ReleaseAbandoned = """
        UPDATE hangfire.jobqueue q SET fetchedat = NULL
        FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid
        WHERE q.jobid = j.id AND q.fetchedat IS NOT NULL
          AND j.statename = 'Processing'
          AND NOT EXISTS (SELECT 1 FROM hangfire.server v WHERE v.id = s.data ->> 'ServerId')
        RETURNING q.jobid, q.queue, (SELECT r.id FROM runs r WHERE r.queue_job = q.jobid::text), s.data ->> 'ServerId'
        """;

    private static async Task<List<long>> PendingRequeueAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"SELECT id FROM runs WHERE queue_job = '{RunQueue.PendingRequeue}' ORDER BY id", connection);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) ids.Add(reader.GetInt64(0));
        return ids;
    }
}
