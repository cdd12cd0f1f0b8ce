using EmotionLab.Data.Postgres;
using Npgsql;

namespace EmotionLab.Data.Tests;

/// <summary>
/// A real PostgreSQL server for the tests: a temp data folder, a free loopback port, migrated,
/// removed at the end. Platform.Web.Tests compiles this same file.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("emotionlab-pg-").FullName;
    private EmbeddedPostgres? server;

    public string DataDirectory => Path.Combine(folder, "data");
    public string ConnectionString => server!.ConnectionString;
    public EmotionLabDbContext NewContext() => new(EmotionLabDbContext.Options(ConnectionString));

    public async Task InitializeAsync()
    {
        File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.OtherExecute);
        server = EmbeddedPostgres.Start(DataDirectory, durable: false);
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

[CollectionDefinition(nameof(ThrowawayPostgres))]
public sealed class ThrowawayPostgresCollection : ICollectionFixture<ThrowawayPostgres>;
