using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// Hangfire's job storage in the platform's PostgreSQL (schema "hangfire", created by whichever
/// process starts first). Hangfire.PostgreSql's defaults suit short web jobs, not training runs.
/// </summary>
public static class QueueStorage
{
    /// <summary>
    /// How long a fetched job stays hidden from other nodes without its node's keep-alive (sliding:
    /// renewed every fifth of it while the run trains). The backstop for a dead node's run:
    /// <see cref="AbandonedJobRecovery"/> normally hands it back sooner, and in its place.
    /// </summary>
    public static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(75);

    public static PostgreSqlStorageOptions Options => new()
    {
        // Long polling (LISTEN/NOTIFY) wakes an idle node the moment a run is queued from any
        // process; the 1 s poll covers runs handed back, which send no notification.
        EnableLongPolling = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = InvisibilityTimeout,
        PrepareSchemaIfNecessary = true,
    };

    public static PostgreSqlStorage Create(string connectionString)
    {
        var options = Options;
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }
}
