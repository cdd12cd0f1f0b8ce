using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>How many runs are in each status; every status is present, with 0 when none.</summary>
public sealed class RunStatusCountsQuery(EmotionLabDbContext db)
{
    public async Task<IReadOnlyDictionary<RunStatus, int>> ExecuteAsync(CancellationToken cancellation = default)
    {
        var counts = await db.Runs.AsNoTracking().GroupBy(r => r.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellation);
        return Enum.GetValues<RunStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Status == s)?.Count ?? 0);
    }
}
