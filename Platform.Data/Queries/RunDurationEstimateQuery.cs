using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>
/// How long a run of a family on a corpus has taken: the mean wall time of its last 50 succeeded
/// runs (the family on any corpus when this corpus has none), and the worker slots alive now
/// (nodes with a heartbeat in the last minute), so a grid builder can estimate before it queues.
/// </summary>
public sealed class RunDurationEstimateQuery(EmotionLabDbContext db)
{
    public async Task<RunDurationEstimate> ExecuteAsync(string family, string corpus, CancellationToken cancellation = default)
    {
        var sameCorpus = await PastAsync(family, corpus, cancellation);
        var past = sameCorpus.Runs > 0 ? sameCorpus : await PastAsync(family, null, cancellation);
        var slots = await db.Database.SqlQuery<int>($"""
            SELECT coalesce(sum(slots), 0)::int AS "Value" FROM worker_nodes WHERE heartbeat_at > now() - interval '1 minute'
            """).SingleAsync(cancellation);
        return new RunDurationEstimate(past.Runs, past.MeanSeconds, sameCorpus.Runs > 0, slots);
    }

    private async Task<PastRuns> PastAsync(string family, string? corpus, CancellationToken cancellation) =>
        await db.Database.SqlQuery<PastRuns>($"""
            SELECT count(*)::int AS "Runs", avg(seconds)::float8 AS "MeanSeconds"
            FROM (SELECT extract(epoch FROM r.finished_at - r.started_at) AS seconds
                  FROM runs r
                  WHERE r.status = 'Succeeded' AND r.family = {family} AND r.started_at IS NOT NULL AND r.finished_at IS NOT NULL
                    AND ({corpus}::text IS NULL OR r.corpus_id = (SELECT id FROM corpora WHERE name = {corpus}))
                  ORDER BY r.id DESC LIMIT 50) recent
            """).SingleAsync(cancellation);

    private sealed record PastRuns(int Runs, double? MeanSeconds);
}

/// <param name="PastRuns">succeeded runs the mean is taken over (0: no estimate)</param>
/// <param name="SameCorpus">whether they ran on the same corpus (else the family on any corpus)</param>
/// <param name="LiveSlots">training slots of the nodes alive now</param>
public sealed record RunDurationEstimate(int PastRuns, double? MeanRunSeconds, bool SameCorpus, int LiveSlots)
{
    /// <summary>Wall time for <paramref name="runs"/> runs spread over the live slots (one slot when none is alive); null without past runs.</summary>
    public TimeSpan? WallTimeFor(int runs) =>
        MeanRunSeconds is { } mean ? TimeSpan.FromSeconds(mean * Math.Ceiling(runs / (double)Math.Max(1, LiveSlots))) : null;
}
