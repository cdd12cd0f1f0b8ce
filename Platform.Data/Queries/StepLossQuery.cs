using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>A run's per-step training losses in step order (the learning curve).</summary>
public sealed class StepLossQuery(EmotionLabDbContext db)
{
    /// <summary>The losses, or null when no run has this id.</summary>
    public async Task<IReadOnlyList<StepLoss>?> ExecuteAsync(long runId, CancellationToken cancellation = default)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == runId, cancellation)) return null;
        return await db.StepLosses.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Step).ToListAsync(cancellation);
    }
}
