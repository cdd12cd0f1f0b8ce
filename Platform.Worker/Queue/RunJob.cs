using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Worker.Node;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// The Hangfire job of one run, performed by whichever node has a free slot. It claims the run
/// (the next attempt), trains it in a child process on the slot's device, and closes what the
/// child left open: a crash is Failed with the exit and the log, a cancel that outlived the grace
/// period is killed and Canceled. Either way the job itself succeeds, and Hangfire never retries it
/// (the platform's Retry queues a new job). When its node dies, the job is fetched again by another
/// node (<see cref="AbandonedJobRecovery"/>, or the invisibility timeout) and the trainer resumes
/// from the run's last checkpoint as the next attempt.
/// </summary>
public sealed class RunJob(
    RunTransitions transitions,
    DeviceSlots devices,
    WorkerNodeOptions options,
    PlatformDatabase database,
    ILogger<RunJob> log)
{
    private static readonly TimeSpan CancelPoll = TimeSpan.FromSeconds(1);

    /// <param name="cancellation">Hangfire's: canceled when the node is stopping.</param>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("run {0}")]
    public async Task ExecuteAsync(long runId, CancellationToken cancellation)
    {
        using var lease = devices.Acquire();
        var logPath = Path.Combine(Path.GetFullPath(options.ArtifactRoot), "runs", runId.ToString(), "trainer.log");
        var attempt = await transitions.ClaimAsync(runId, options.Name, lease.Device, logPath, cancellation);
        if (attempt is null)
        {
            log.LogInformation("Run {Run} is finished or canceled: nothing to do", runId);
            return;
        }
        log.LogInformation("Run {Run} attempt {Attempt} starts on {Node} {Device}", runId, attempt, options.Name, lease.Device);

        var environment = TrainerEnvironment.ForNode(options);
        using var trainer = TrainerProcess.Start(runId, lease.Device, database.ConnectionString, options, environment, logPath);
        trainer.Note($"== attempt {attempt} on {options.Name} ({lease.Device}), trainer pid {trainer.Id}, {DateTimeOffset.UtcNow:u}");
        // What decides its speed on a CPU: the threads it may use and the OpenBLAS kernels.
        trainer.Note($"== {string.Join(", ", TrainerEnvironment.Variables.Select(v => $"{v}={(environment.TryGetValue(v, out var set) ? set : Environment.GetEnvironmentVariable(v) ?? "unset")}"))}");
        DateTimeOffset? cancelSeen = null;
        var killedForCancel = false;
        while (!await trainer.WaitAsync(CancelPoll))
        {
            if (cancellation.IsCancellationRequested)
            {
                // The node is stopping: stop the trainer and let the cancellation reach Hangfire,
                // which puts the job back on its queue at once, in its place, for another node.
                trainer.Note($"== node {options.Name} is shutting down: the run goes back to the queue");
                trainer.Kill();
                cancellation.ThrowIfCancellationRequested();
            }
            if (cancelSeen is null && await transitions.IsCancelRequestedAsync(runId, CancellationToken.None))
                cancelSeen = DateTimeOffset.UtcNow;
            if (cancelSeen is { } seen && DateTimeOffset.UtcNow - seen > TimeSpan.FromSeconds(options.CancelGraceSeconds))
            {
                trainer.Note($"== canceled, and the trainer did not stop within {options.CancelGraceSeconds:0.#} s: killed");
                trainer.Kill();
                killedForCancel = true;
            }
        }

        if (killedForCancel)
            await transitions.CloseIfStillRunningAsync(runId, attempt.Value, RunStatus.Canceled, null, CancellationToken.None);
        else if (await transitions.CloseIfStillRunningAsync(runId, attempt.Value, RunStatus.Failed,
                     $"the trainer process ended without finishing the run ({trainer.DescribeExit()}); its log is {logPath}", CancellationToken.None))
            trainer.Note($"== trainer {trainer.DescribeExit()}: run marked Failed");
        log.LogInformation("Run {Run} attempt {Attempt}: trainer {Exit}", runId, attempt, trainer.DescribeExit());
    }
}
