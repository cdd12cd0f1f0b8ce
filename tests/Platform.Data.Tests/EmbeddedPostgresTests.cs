using EmotionLab.Data.Postgres;
using Npgsql;

namespace EmotionLab.Data.Tests;

public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("emotionlab-embedded-").FullName;

    public EmbeddedPostgresTests() => File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.OtherExecute);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task Restart_reuses_the_folder_the_port_and_the_data()
    {
        var data = Path.Combine(folder, "pg");
        int port;
        using (var first = EmbeddedPostgres.Start(data))
        {
            port = first.Port;
            await ScalarAsync(first.ConnectionString, "CREATE TABLE kept (value int); INSERT INTO kept VALUES (42)");
        }
        NpgsqlConnection.ClearAllPools();
        Assert.False(File.Exists(Path.Combine(data, "postmaster.pid")), "the server was not stopped");

        using var second = EmbeddedPostgres.Start(data);
        Assert.Equal(port, second.Port);
        Assert.Equal(42, await ScalarAsync(second.ConnectionString, "SELECT value FROM kept"));
        Assert.Equal("127.0.0.1", (await ScalarAsync(second.ConnectionString, "SELECT host(inet_server_addr())"))?.ToString());
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task The_platform_server_is_durable_and_a_throwaway_one_is_not()
    {
        using (var durable = EmbeddedPostgres.Start(Path.Combine(folder, "durable")))
        {
            Assert.Equal("on", await ScalarAsync(durable.ConnectionString, "SHOW fsync"));
            Assert.Equal("on", await ScalarAsync(durable.ConnectionString, "SHOW synchronous_commit"));
            Assert.Equal("on", await ScalarAsync(durable.ConnectionString, "SHOW full_page_writes"));
        }
        using var throwaway = EmbeddedPostgres.Start(Path.Combine(folder, "throwaway"), durable: false);
        Assert.Equal("off", await ScalarAsync(throwaway.ConnectionString, "SHOW fsync"));
        NpgsqlConnection.ClearAllPools();
    }
}
