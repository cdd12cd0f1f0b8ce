using EmotionLab.Data.Entities;

namespace EmotionLab.Data.Queries;

/// <summary>A worker node and the runs it is running now.</summary>
public sealed record WorkerOverview(WorkerNode Node, IReadOnlyList<RunListItem> CurrentRuns)
{
    /// <summary>A node that has not checked in for this long is presumed gone.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    public TimeSpan HeartbeatAge(DateTimeOffset now) => now - Node.HeartbeatAt;
    public bool IsStale(DateTimeOffset now) => HeartbeatAge(now) > StaleAfter;
}
