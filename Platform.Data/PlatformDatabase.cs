using Npgsql;

namespace EmotionLab.Data;

/// <summary>
/// The PostgreSQL every process of the platform shares: its connection string (handed to trainer
/// child processes) and one pooled data source for hand-written SQL.
/// </summary>
public sealed class PlatformDatabase(string connectionString) : IDisposable
{
    public string ConnectionString { get; } = connectionString;
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(connectionString);

    public void Dispose() => DataSource.Dispose();
}
