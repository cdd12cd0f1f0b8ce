using System.Diagnostics;
using EmotionLab.Data.Postgres;
using Npgsql;

namespace EmotionLab.Worker.Database;

/// <summary>
/// The platform database to a file and back, with PostgreSQL's own tools (pg_dump's custom format,
/// pg_restore), embedded or configured alike. Both are all or nothing: a backup is written beside
/// its file and renamed into place only when pg_dump succeeded; a restore runs in one transaction
/// into a database that holds no tables yet, so a failure leaves that database as it was.
/// </summary>
public sealed class DatabaseBackup(string connectionString, string? binaries = null)
{
    private readonly string binaries = binaries ?? EmbeddedPostgres.ServerBinaries();

    public async Task BackupAsync(string file, CancellationToken cancellation = default)
    {
        var full = Path.GetFullPath(file);
        var partial = full + ".partial";
        try
        {
            await RunAsync("pg_dump", ["--format=custom", "--no-owner", "--file", partial], cancellation);
            File.Move(partial, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>Restores a backup into the database, which must hold no tables (a fresh server, or a newly created database).</summary>
    public async Task RestoreAsync(string file, CancellationToken cancellation = default)
    {
        var full = Path.GetFullPath(file);
        if (!File.Exists(full)) throw new BackupException($"there is no backup {full}");
        // Read its table of contents first, so a file that is not a backup is named before anything is touched.
        await RunAsync("pg_restore", ["--list", full], cancellation, withDatabase: false);
        if (await TableCountAsync(cancellation) is > 0 and var tables)
            throw new BackupException($"database {Builder.Database} on {Builder.Host}:{Builder.Port} already holds {tables} tables: restore into an empty one " +
                                      "(a fresh platform before its first start, or `CREATE DATABASE` and --database pointing at it)");
        await RunAsync("pg_restore", ["--single-transaction", "--exit-on-error", "--no-owner", full], cancellation);
    }

    private NpgsqlConnectionStringBuilder Builder => new(connectionString);

    private async Task<long> TableCountAsync(CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')", connection);
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }

    // The tool with the database's host, port, user and name; the password, if any, through the environment, never the command line.
    private async Task RunAsync(string tool, string[] arguments, CancellationToken cancellation, bool withDatabase = true)
    {
        var builder = Builder;
        var start = new ProcessStartInfo(Path.Combine(binaries, tool))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (withDatabase)
            foreach (var argument in new[] { "--host", builder.Host ?? "127.0.0.1", "--port", builder.Port.ToString(), "--username", builder.Username ?? "", "--dbname", builder.Database ?? "" })
                start.ArgumentList.Add(argument);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (builder.Password is { Length: > 0 } password) start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start) ?? throw new BackupException($"could not start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
        var stderr = process.StandardError.ReadToEndAsync(cancellation);
        await process.WaitForExitAsync(cancellation);
        if (process.ExitCode != 0)
            throw new BackupException($"{tool} exited with {process.ExitCode}: {(await stderr).Trim()} {(await stdout).Trim()}".Trim());
    }
}

/// <summary>A backup or restore that did not happen, and why.</summary>
public sealed class BackupException(string message) : Exception(message);
