namespace EmotionLab.Data.Queries;

/// <summary>
/// A Hangfire server from its server list: a worker node that is up (a node that stops beating is
/// dropped from the list 30 s after its last heartbeat).
/// </summary>
public sealed record QueueServer(string Id, IReadOnlyList<string> Queues, int Workers, DateTimeOffset StartedAt, DateTimeOffset? HeartbeatAt)
{
    /// <summary>The node's name: Hangfire names a server "{name in lower case}:{process id}:{guid}".</summary>
    public string NodeName => Id.Split(':') is { Length: >= 3 } parts ? string.Join(':', parts[..^2]) : Id;

    public bool IsServerOf(string node) => string.Equals(NodeName, node, StringComparison.OrdinalIgnoreCase);
}
