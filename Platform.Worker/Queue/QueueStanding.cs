using EmotionLab.Data.Queries;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// Where a run stands on the queue: its Hangfire job and that job's state, the queue it waits in,
/// how many runs wait before it there, and, when no node that is up serves that queue, why it waits.
/// </summary>
public sealed record QueueStanding(string Job, string State, string Queue, int Ahead, string? Waiting)
{
    /// <summary>The reason a run in <paramref name="queue"/> waits, or null when a node that is up serves it.</summary>
    public static string? WaitingReason(string queue, IReadOnlyList<QueueServer> servers)
    {
        if (servers.Any(s => s.Queues.Contains(queue))) return null;
        var up = servers.Count == 0
            ? "no worker node is up"
            : "the nodes up serve " + string.Join("; ", servers.Select(s => $"{s.NodeName}: {string.Join(", ", s.Queues)}"));
        var what = queue switch
        {
            RunQueues.Gpu => "It asks for a GPU: it starts when a node with a CUDA device joins (`Platform.Worker serve --devices cuda:0`).",
            RunQueues.Cpu => "It asks for a CPU node: it starts when a node with the cpu device joins.",
            _ => "It starts when a worker node joins (`Platform.Worker serve`, or the web app's in-process node).",
        };
        return $"Waiting in queue '{queue}', which no worker node that is up takes runs from ({up}). {what}";
    }
}
