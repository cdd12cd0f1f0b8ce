using EmotionLab.Data;
using EmotionLab.Worker.Node;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// Puts back on the queue a run that is Running but that no node executes and Quartz no longer
/// fires: its job is still stored, with neither a trigger nor a firing. Quartz recovers a dead
/// node's firings, but a recovered firing whose node is then stopped can be dropped, leaving the
/// run Running for ever.
/// A run counts as orphaned only when two passes a sweep apart both find it so, which leaves
/// Quartz's own recovery (seconds) the time to act first. The queued job claims the next attempt
/// and the trainer resumes from the run's last checkpoint.
/// </summary>
public sealed class OrphanedRunSweeper(PlatformDatabase database, RunQueue queue, WorkerNodeOptions options, ILogger<OrphanedRunSweeper> log) : BackgroundService
{
    private HashSet<long> suspects = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.OrphanSweepSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database blip must not stop the node: the next pass tries again.
                log.LogWarning("Orphaned-run sweep on {Node} failed: {Message}", options.Name, e.Message);
            }
        }
    }

    private async Task SweepAsync(CancellationToken cancellation)
    {
        // One sweeper at a time across the cluster, so two nodes never queue the same run twice.
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellation);
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({SweepLock})", connection))
            if (await tryLock.ExecuteScalarAsync(cancellation) is not true) return;
        try
        {
            var orphaned = await OrphanedAsync(connection, cancellation);
            foreach (var runId in orphaned.Where(suspects.Contains))
            {
                log.LogWarning("Run {Run} is Running but no node executes it and the queue has lost it: queued again (it resumes from its last checkpoint)", runId);
                await queue.EnqueueAsync(runId, cancellation);
            }
            suspects = orphaned.Except(suspects).ToHashSet();
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({SweepLock})", connection);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    // An arbitrary application-wide key for pg_advisory_lock ("ELorphan" in ASCII).
    private const long SweepLock = 0x454C6F727068616E;

    private static async Task<HashSet<long>> OrphanedAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT r.id FROM runs r
            WHERE r.status = 'Running'
              AND EXISTS (SELECT 1 FROM qrtz_job_details j WHERE j.job_group = '{RunQueue.Group}' AND j.job_name = 'run-' || r.id)
              AND NOT EXISTS (SELECT 1 FROM qrtz_triggers t WHERE t.job_group = '{RunQueue.Group}' AND t.job_name = 'run-' || r.id)
              AND NOT EXISTS (SELECT 1 FROM qrtz_fired_triggers f WHERE f.job_group = '{RunQueue.Group}' AND f.job_name = 'run-' || r.id)
            """, connection);
        var ids = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) ids.Add(reader.GetInt64(0));
        return ids;
    }
}
