using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>The runs that failed since a time, newest first (from the (status, id) index), at most Limit.</summary>
public sealed class RecentFailuresQuery(EmotionLabDbContext db)
{
    public const int Limit = 10;

    public async Task<IReadOnlyList<RecentFailure>> ExecuteAsync(DateTimeOffset since, CancellationToken cancellation = default)
    {
        var failures = await (
                from r in db.Runs.AsNoTracking()
                join e in db.Experiments on r.ExperimentId equals e.Id
                where r.Status == RunStatus.Failed && r.FinishedAt >= since
                orderby r.Id descending
                select new RecentFailure(r.Id, e.Name, r.Variant, r.Seed, r.FinishedAt, r.Error))
            .Take(Limit).ToListAsync(cancellation);
        return [.. failures.Select(f => f with { Error = f.Error?.Split('\n', 2)[0] })];
    }
}
