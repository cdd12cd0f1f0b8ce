using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>
/// The runs list: filters and keyset paging by id, newest first. Each filter matches one of the
/// (status, id), (family, id), (grid_id, id), (corpus_id, id) indexes, so a page costs an index
/// range scan of Limit rows however many runs there are (an experiment's few runs come from its
/// experiment_id index).
/// </summary>
public sealed class RunListQuery(EmotionLabDbContext db)
{
    public async Task<RunListPage> ExecuteAsync(RunListFilter filter, CancellationToken cancellation = default)
    {
        var runs = Filtered(filter);
        if (filter.Before is { } before) runs = runs.Where(r => r.Id < before);

        // One extra row tells whether there is a next page.
        var items = await ItemsAsync(runs.OrderByDescending(r => r.Id).Take(filter.Limit + 1), cancellation);
        var hasNext = items.Count > filter.Limit;
        if (hasNext) items.RemoveAt(items.Count - 1);
        return new RunListPage(items, hasNext ? items[^1].Id : null);
    }

    /// <summary>
    /// A page of the runs table by offset, sorted by a column (the id breaks ties), with the count of
    /// matching runs; the filter's cursor and limit are not used. At 10,000 runs the count and an
    /// offset sort read the filtered rows once; the page's rows are then read by id.
    /// </summary>
    public async Task<RunTablePage> TableAsync(RunListFilter filter, RunSort sort, bool descending, int skip, int take, CancellationToken cancellation = default)
    {
        var runs = Filtered(filter);
        var total = await runs.CountAsync(cancellation);
        var ids = await Sorted(runs, sort, descending).Skip(skip).Take(take).Select(r => r.Id).ToListAsync(cancellation);
        var position = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var items = await ItemsAsync(db.Runs.AsNoTracking().Where(r => ids.Contains(r.Id)), cancellation);
        return new RunTablePage([.. items.OrderBy(r => position[r.Id])], total);
    }

    private IQueryable<Entities.Run> Filtered(RunListFilter filter)
    {
        var runs = db.Runs.AsNoTracking();
        if (filter.Status is { } status) runs = runs.Where(r => r.Status == status);
        if (filter.Family is { } family) runs = runs.Where(r => r.Family == family);
        if (filter.GridId is { } gridId) runs = runs.Where(r => r.GridId == gridId);
        if (filter.CorpusId is { } corpusId) runs = runs.Where(r => r.CorpusId == corpusId);
        if (filter.ExperimentId is { } experimentId) runs = runs.Where(r => r.ExperimentId == experimentId);
        if (filter.OwnerId is { } ownerId) runs = runs.Where(r => r.Experiment!.OwnerId == ownerId);
        if (filter.ProjectId is { } projectId) runs = runs.Where(r => r.Experiment!.ProjectId == projectId);
        return runs;
    }

    private static IQueryable<Entities.Run> Sorted(IQueryable<Entities.Run> runs, RunSort sort, bool descending)
    {
        var ordered = sort switch
        {
            RunSort.Status => By(r => r.Status),
            RunSort.Family => By(r => r.Family),
            RunSort.Variant => By(r => r.Variant),
            RunSort.Seed => By(r => r.Seed),
            RunSort.Progress => By(r => r.Progress),
            RunSort.QueuedAt => By(r => r.QueuedAt),
            RunSort.StartedAt => By(r => r.StartedAt),
            RunSort.FinishedAt => By(r => r.FinishedAt),
            _ => By(r => r.Id),
        };
        return ordered.ThenByDescending(r => r.Id);

        IOrderedQueryable<Entities.Run> By<TKey>(System.Linq.Expressions.Expression<Func<Entities.Run, TKey>> key) =>
            descending ? runs.OrderByDescending(key) : runs.OrderBy(key);
    }

    private async Task<List<RunListItem>> ItemsAsync(IQueryable<Entities.Run> page, CancellationToken cancellation)
    {
        var rows = await (
                from r in page
                join e in db.Experiments on r.ExperimentId equals e.Id
                from g in db.Grids.Where(g => g.Id == r.GridId).DefaultIfEmpty()
                from u in db.Users.Where(u => u.Id == e.OwnerId).DefaultIfEmpty()
                from p in db.Projects.Where(p => p.Id == e.ProjectId).DefaultIfEmpty()
                orderby r.Id descending
                select new RunListItem
                {
                    Id = r.Id, ExperimentId = r.ExperimentId, ExperimentName = e.Name, Family = r.Family, CorpusId = r.CorpusId,
                    GridId = r.GridId, GridName = g == null ? null : g.Name, OwnerId = e.OwnerId, OwnerName = u == null ? null : u.UserName,
                    ProjectId = e.ProjectId, ProjectName = p == null ? null : p.Name, Variant = r.Variant, Seed = r.Seed, Status = r.Status,
                    CancelRequested = r.CancelRequested, Progress = r.Progress, Node = r.Node, Device = r.Device,
                    QueuedAt = r.QueuedAt, StartedAt = r.StartedAt, FinishedAt = r.FinishedAt,
                })
            .ToListAsync(cancellation);
        var scores = await LatestScoresAsync(rows.Select(r => r.Id).ToArray(), cancellation);
        return rows.Select(r => scores.TryGetValue(r.Id, out var s)
            ? r with { LatestScores = new RunScores(s.Split, s.Epoch, s.WA, s.UA, s.WeightedF1, s.MacroF1), TestWeightedF1AtBestEpoch = s.TestWeightedF1AtBestEpoch }
            : r).ToList();
    }

    // Per run, the latest test epoch (the latest validation epoch when there is no test epoch)
    // and the test score at the best epoch, each a probe of the (run_id, epoch, split) key from the
    // newest epoch down: a page reads a few index entries per run, however many epochs its runs have.
    // (A DISTINCT ON over all of the page's test and validation rows read ~50 rows per finished run.)
    private async Task<Dictionary<long, ScoresRow>> LatestScoresAsync(long[] runIds, CancellationToken cancellation)
    {
        if (runIds.Length == 0) return [];
        var rows = await db.Database.SqlQuery<ScoresRow>($"""
            SELECT r.id AS "RunId", s.split AS "Split", s.epoch AS "Epoch", s.wa AS "WA", s.ua AS "UA",
                   s.weighted_f1 AS "WeightedF1", s.macro_f1 AS "MacroF1", b.weighted_f1 AS "TestWeightedF1AtBestEpoch"
            FROM runs r
            CROSS JOIN LATERAL (
                (SELECT m.split, m.epoch, m.wa, m.ua, m.weighted_f1, m.macro_f1 FROM epoch_metrics m
                 WHERE m.run_id = r.id AND m.split = 'test' ORDER BY m.epoch DESC LIMIT 1)
                UNION ALL
                (SELECT m.split, m.epoch, m.wa, m.ua, m.weighted_f1, m.macro_f1 FROM epoch_metrics m
                 WHERE m.run_id = r.id AND m.split = 'validation' ORDER BY m.epoch DESC LIMIT 1)
                LIMIT 1) s
            LEFT JOIN epoch_metrics b ON b.run_id = r.id AND b.split = 'test' AND b.epoch = r.best_epoch
            WHERE r.id = ANY({runIds})
            """).ToListAsync(cancellation);
        return rows.ToDictionary(r => r.RunId);
    }

    private sealed class ScoresRow
    {
        public long RunId { get; init; }
        public string Split { get; init; } = "";
        public int Epoch { get; init; }
        public double WA { get; init; }
        public double UA { get; init; }
        public double WeightedF1 { get; init; }
        public double MacroF1 { get; init; }
        public double? TestWeightedF1AtBestEpoch { get; init; }
    }
}
