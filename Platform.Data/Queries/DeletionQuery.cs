using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>A deletion as a page tells it: what went, what with it, who deleted it and when (UserName null: a node's CLI, or an account since removed).</summary>
public sealed record DeletionRecord(string Kind, long TargetId, string Name, string Summary, DateTimeOffset At, string? UserName)
{
    public string Title => Kind == Deletion.RunKind ? $"Run #{TargetId}" : $"{char.ToUpperInvariant(Kind[0])}{Kind[1..]} '{Name}' (#{TargetId})";
}

/// <summary>What became of a run or a grid that is no longer there: the deletion that took it.</summary>
public sealed class DeletionQuery(EmotionLabDbContext db)
{
    /// <summary>The deletion that took the run, itself or with its experiment or grid; null if it was never deleted.</summary>
    public Task<DeletionRecord?> ForRunAsync(long runId, CancellationToken cancellation = default) =>
        Records(db.Deletions.Where(d => d.RunIds.Contains(runId))).FirstOrDefaultAsync(cancellation);

    public Task<DeletionRecord?> ForGridAsync(long gridId, CancellationToken cancellation = default) =>
        Records(db.Deletions.Where(d => d.Kind == Deletion.GridKind && d.TargetId == gridId)).FirstOrDefaultAsync(cancellation);

    private IQueryable<DeletionRecord?> Records(IQueryable<Deletion> deletions) =>
        from d in deletions.AsNoTracking()
        join u in db.Users on d.UserId equals u.Id into users
        from u in users.DefaultIfEmpty()
        orderby d.Id descending
        select new DeletionRecord(d.Kind, d.TargetId, d.Name, d.Summary, d.At, u == null ? null : u.UserName);
}
