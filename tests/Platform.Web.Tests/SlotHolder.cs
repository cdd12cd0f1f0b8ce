using System.Collections.Concurrent;
using EmotionLab.Worker.Queue;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace EmotionLab.Web.Tests;

/// <summary>
/// A Hangfire job that occupies a slot of the web app's in-process node (this test process) until
/// it is released: with one slot, runs queued meanwhile stay Queued on the queue.
/// </summary>
public sealed class SlotHolder
{
    private static readonly ConcurrentDictionary<Guid, Hold> Holds = new();

    /// <summary>Queues a holder and waits until it has the slot; disposing the handle gives the slot back.</summary>
    public static async Task<IAsyncDisposable> TakeAsync(IBackgroundJobClient jobs, TimeSpan timeout)
    {
        var id = Guid.NewGuid();
        var hold = Holds[id] = new Hold(id);
        jobs.Create(Job.FromExpression<SlotHolder>(holder => holder.HoldAsync(id, CancellationToken.None)), new EnqueuedState(RunQueues.Shared));
        await hold.Taken.Task.WaitAsync(timeout);
        return hold;
    }

    /// <summary>The job: performed by the node, it keeps the slot until the hold is released (or the node stops).</summary>
    public async Task HoldAsync(Guid id, CancellationToken cancellation)
    {
        if (!Holds.TryGetValue(id, out var hold)) return; // a holder from an earlier test process: nothing to hold for
        hold.Taken.TrySetResult();
        await hold.Released.Task.WaitAsync(cancellation);
    }

    private sealed class Hold(Guid id) : IAsyncDisposable
    {
        public TaskCompletionSource Taken { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask DisposeAsync()
        {
            Released.TrySetResult();
            Holds.TryRemove(id, out _);
            return ValueTask.CompletedTask;
        }
    }
}
