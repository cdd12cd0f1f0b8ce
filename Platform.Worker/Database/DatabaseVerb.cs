using System.CommandLine;

namespace EmotionLab.Worker.Database;

/// <summary>
/// `db backup --out FILE` and `db restore FILE`: the platform database (every corpus, run, metric,
/// matrix and grid) to one pg_dump file and back (<see cref="DatabaseBackup"/>). The database is
/// --database or ConnectionStrings__EmotionLab; for the embedded one of scripts/start.sh, its port
/// is in artifacts/postgres/emotionlab.port.
/// </summary>
public static class DatabaseVerb
{
    public static Command Command()
    {
        var database = new Option<string?>("--database") { Description = "PostgreSQL connection string (default: ConnectionStrings__EmotionLab)." };
        var output = new Option<FileInfo>("--out") { Description = "The backup file to write (pg_dump's custom format).", Required = true };
        var backup = new Command("backup", "Write the platform database to a file; the file appears only when the dump succeeded.") { output, database };
        backup.SetAction((result, cancellation) => RunAsync(result.GetValue(database), (b, c) => b.BackupAsync(result.GetValue(output)!.FullName, c),
            $"backed up to {result.GetValue(output)!.FullName}", Console.Out, Console.Error, cancellation));

        var file = new Argument<FileInfo>("FILE") { Description = "A file written by `db backup`." };
        var restoreDatabase = new Option<string?>("--database") { Description = "PostgreSQL connection string of an empty database (default: ConnectionStrings__EmotionLab)." };
        var restore = new Command("restore", "Restore a backup into an empty database, in one transaction: all of it or nothing.") { file, restoreDatabase };
        restore.SetAction((result, cancellation) => RunAsync(result.GetValue(restoreDatabase), (b, c) => b.RestoreAsync(result.GetValue(file)!.FullName, c),
            $"restored {result.GetValue(file)!.FullName}", Console.Out, Console.Error, cancellation));

        return new Command("db", "Back up and restore the platform database.") { backup, restore };
    }

    /// <summary>0 when done; 2 without a database; 1 when the tool failed (its message printed, nothing half-written).</summary>
    public static async Task<int> RunAsync(string? connectionString, Func<DatabaseBackup, CancellationToken, Task> action, string done,
        TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        (connectionString, var problem) = NodeDatabase.Resolve("db", connectionString);
        if (connectionString is null)
        {
            await errors.WriteLineAsync(problem);
            return 2;
        }
        try
        {
            await action(new DatabaseBackup(connectionString), cancellation);
        }
        catch (Exception e) when (e is BackupException or Npgsql.NpgsqlException or IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"db: {e.Message}");
            return 1;
        }
        await output.WriteLineAsync($"db: {done}");
        return 0;
    }
}
