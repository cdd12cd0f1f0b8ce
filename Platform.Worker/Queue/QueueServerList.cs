using EmotionLab.Data.Queries;
using Hangfire;

namespace EmotionLab.Worker.Queue;

/// <summary>The worker nodes that are up, from Hangfire's server list.</summary>
public sealed class QueueServerList(JobStorage storage)
{
    public IReadOnlyList<QueueServer> Live() =>
        storage.GetMonitoringApi().Servers()
            .Select(s => new QueueServer(s.Name, s.Queues.ToList(), s.WorkersCount, Utc(s.StartedAt), s.Heartbeat is { } beat ? Utc(beat) : null))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();

    // Hangfire hands out UTC times as DateTime of unspecified kind.
    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
