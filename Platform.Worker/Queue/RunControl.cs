using EmotionLab.Data;
using EmotionLab.Data.Entities;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// Cancel and retry as the platform does them (the runs table, the run page and the JSON API):
/// the guarded status change in the database first (RunTransitions decides who wins a race with a
/// worker), then the matching change on the Hangfire queue.
/// </summary>
public sealed class RunControl(RunTransitions transitions, RunQueue queue, PlatformDatabase database)
{
    /// <summary>
    /// A Queued run becomes Canceled and its job leaves the queue; a Running run gets its cancel flag
    /// (its trainer stops within a few steps, or its node kills it after the grace period).
    /// </summary>
    /// <param name="actorId">The account that acts, recorded on the run's history.</param>
    public async Task<RunActionOutcome> CancelAsync(long runId, CancellationToken cancellation = default, long? actorId = null)
    {
        var changed = await transitions.RequestCancelAsync(runId, cancellation, actorId);
        var status = await StatusAsync(runId, cancellation);
        if (status is null) return RunActionOutcome.NotFound;
        // Not the caller's token from here on: a closed browser tab must not leave a Canceled run's job queued.
        if (changed && status == RunStatus.Canceled) await queue.RemoveAsync(runId, CancellationToken.None);
        return new RunActionOutcome(changed, status);
    }

    /// <summary>A Failed or Canceled run is Queued again and put back on the queue; its next attempt resumes from its last checkpoint.</summary>
    public async Task<RunActionOutcome> RetryAsync(long runId, CancellationToken cancellation = default, long? actorId = null)
    {
        var changed = await transitions.RequeueAsync(runId, cancellation, actorId);
        // Queued in the database means it must reach the queue, whatever happens to the request.
        if (changed) await queue.EnqueueAsync(runId, CancellationToken.None);
        var status = await StatusAsync(runId, CancellationToken.None);
        return status is null ? RunActionOutcome.NotFound : new RunActionOutcome(changed, status);
    }

    private async Task<RunStatus?> StatusAsync(long runId, CancellationToken cancellation)
    {
        await using var command = database.DataSource.CreateCommand("SELECT status FROM runs WHERE id = @run");
        command.Parameters.AddWithValue("run", runId);
        return await command.ExecuteScalarAsync(cancellation) is string status ? Enum.Parse<RunStatus>(status) : null;
    }
}
