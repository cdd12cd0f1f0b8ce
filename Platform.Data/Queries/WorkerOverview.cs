using EmotionLab.Data.Entities;

namespace EmotionLab.Data.Queries;

/// <summary>
/// One worker node on the Workers page: whether it is up and what it serves (its Hangfire server,
/// null when it is gone), what it said about itself (worker_nodes: devices, slots, version; null
/// for a server that has not written its row yet), and the runs it is training.
/// </summary>
public sealed record WorkerOverview(string Name, QueueServer? Server, WorkerNode? Node, IReadOnlyList<RunListItem> CurrentRuns)
{
    public bool IsUp => Server is not null;

    public DateTimeOffset? LastSeen => Server?.HeartbeatAt ?? Node?.HeartbeatAt;
}
