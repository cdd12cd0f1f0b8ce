using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>One line of a run's history: when, what (queued, canceled, retried), and by whom (null: a node's CLI, or an account since removed).</summary>
public sealed record RunHistoryEntry(DateTimeOffset At, string Action, string? UserName);

/// <summary>Who queued, canceled and retried a run, oldest first.</summary>
public sealed class RunHistoryQuery(EmotionLabDbContext db)
{
    public async Task<IReadOnlyList<RunHistoryEntry>> ExecuteAsync(long runId, CancellationToken cancellation = default) =>
        await (from a in db.RunActions.AsNoTracking()
               where a.RunId == runId
               join u in db.Users on a.UserId equals u.Id into users
               from u in users.DefaultIfEmpty()
               orderby a.Id
               select new RunHistoryEntry(a.At, a.Action, u == null ? null : u.UserName))
            .ToListAsync(cancellation);
}
