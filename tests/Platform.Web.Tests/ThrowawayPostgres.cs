using EmotionLab.Data;
using EmotionLab.Data.Postgres;
using Npgsql;

namespace EmotionLab.Web.Tests;

/// <summary>A real PostgreSQL server for the tests: a temp data folder, a free loopback port, migrated, removed at the end.</summary>
public sealed class ThrowawayPostgres : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("emotionlab-web-pg-").FullName;
    private EmbeddedPostgres? server;

    public string ConnectionString => server!.ConnectionString;
    public EmotionLabDbContext NewContext() => new(EmotionLabDbContext.Options(ConnectionString));

    public async Task InitializeAsync()
    {
        File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.OtherExecute);
        server = EmbeddedPostgres.Start(Path.Combine(folder, "data"));
        await DatabaseSchema.MigrateAsync(ConnectionString);
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        server?.Dispose();
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}
