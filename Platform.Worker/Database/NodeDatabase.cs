namespace EmotionLab.Worker.Database;

/// <summary>The platform database a node's verb (db, users) works on: --database, or ConnectionStrings__EmotionLab.</summary>
public static class NodeDatabase
{
    /// <summary>The connection string, or null with the line the verb prints (exit 2).</summary>
    public static (string? ConnectionString, string? Problem) Resolve(string verb, string? connectionString)
    {
        connectionString ??= Environment.GetEnvironmentVariable("ConnectionStrings__EmotionLab");
        return string.IsNullOrWhiteSpace(connectionString)
            ? (null, $"{verb}: no database: pass --database or set ConnectionStrings__EmotionLab " +
                     "(the embedded one: Host=127.0.0.1;Port=$(cat artifacts/postgres/emotionlab.port);Database=emotionlab;Username=emotionlab)")
            : (connectionString, null);
    }
}
