using EmotionLab.Data.Postgres;
using Npgsql;

namespace EmotionLab.Web.Startup;

/// <summary>
/// The database the app uses: ConnectionStrings:EmotionLab when configured, otherwise an embedded
/// PostgreSQL in ArtifactRoot/postgres that this object owns and stops when the app shuts down
/// (the DI container disposes it after the hosted services have stopped).
/// </summary>
public sealed class DatabaseConnection : IDisposable
{
    public const string ConnectionStringName = "EmotionLab";
    private readonly EmbeddedPostgres? embedded;

    private DatabaseConnection(string connectionString, EmbeddedPostgres? embedded)
    {
        ConnectionString = connectionString;
        this.embedded = embedded;
    }

    public string ConnectionString { get; }
    public bool IsEmbedded => embedded is not null;

    public static DatabaseConnection Open(IConfiguration configuration, IHostEnvironment environment, ILogger<DatabaseConnection> log)
    {
        if (configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } configured)
            return new DatabaseConnection(configured, null);
        var dataDirectory = Path.Combine(ArtifactRoot.Resolve(configuration, environment), "postgres");
        log.LogInformation("No ConnectionStrings:{Name} configured: starting the embedded PostgreSQL in {DataDirectory}", ConnectionStringName, dataDirectory);
        var server = EmbeddedPostgres.Start(dataDirectory);
        log.LogInformation("Embedded PostgreSQL listens on 127.0.0.1:{Port}", server.Port);
        return new DatabaseConnection(server.ConnectionString, server);
    }

    public void Dispose()
    {
        if (embedded is null) return;
        // Pooled connections would keep the server's fast shutdown waiting on their backends.
        NpgsqlConnection.ClearAllPools();
        embedded.Dispose();
    }
}
