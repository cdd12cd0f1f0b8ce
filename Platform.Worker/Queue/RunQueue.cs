using Quartz;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// Puts runs on the Quartz queue: one job per run, keyed by the run id, fired as soon as a node has
/// a free slot. The job requests recovery, so a node that dies hands it to another node.
/// Works from a scheduler that was never started (the web app without an in-process worker).
/// </summary>
public sealed class RunQueue(ISchedulerFactory schedulers)
{
    public const string Group = "runs";

    public static JobKey KeyOf(long runId) => new($"run-{runId}", Group);

    public async Task EnqueueAsync(long runId, CancellationToken cancellation = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellation);
        var job = JobBuilder.Create<RunJob>()
            .WithIdentity(KeyOf(runId))
            .UsingJobData(RunJob.RunIdKey, runId)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"run-{runId}", Group)
            .StartNow()
            // Never misfires (QueueServices sets the store's threshold to 30 days); FireNow should it.
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellation);
    }

    /// <summary>Takes a queued run's job off the queue (a cancel before it started); false when there was none.</summary>
    public async Task<bool> RemoveAsync(long runId, CancellationToken cancellation = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellation);
        return await scheduler.DeleteJob(KeyOf(runId), cancellation);
    }
}
