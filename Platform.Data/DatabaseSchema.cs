using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data;

/// <summary>Brings a database to the current schema; every process calls it on start.</summary>
public static class DatabaseSchema
{
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellation = default)
    {
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
        await db.Database.MigrateAsync(cancellation);
    }
}
