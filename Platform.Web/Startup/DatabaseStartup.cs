using EmotionLab.Data;

namespace EmotionLab.Web.Startup;

/// <summary>Opens the database (starting the embedded server if needed) and applies migrations before the app serves requests.</summary>
public sealed class DatabaseStartup(DatabaseConnection connection, ILogger<DatabaseStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await DatabaseSchema.MigrateAsync(connection.ConnectionString, cancellationToken);
        log.LogInformation("Database schema is up to date ({Kind} database)", connection.IsEmbedded ? "embedded" : "configured");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
