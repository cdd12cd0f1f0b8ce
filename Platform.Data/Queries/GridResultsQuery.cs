using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>
/// The grid comparison's numbers: per variant, its runs counted by status, and mean, sample std
/// and the per-seed values of the four test scores at each succeeded run's best validation epoch.
/// One GROUP BY in PostgreSQL computes them: the grid's runs come from the (grid_id, id) index and
/// each run's score is one primary-key probe of epoch_metrics at (run_id, best_epoch, 'test'), so the
/// cost follows the grid's size, not the lab's. The significance tests (SeedStatistics) run on the
/// per-seed values in the caller.
/// </summary>
public sealed class GridResultsQuery(EmotionLabDbContext db)
{
    public const string ScoredSplit = "test";

    /// <summary>The grid's results, or null when no grid has this id.</summary>
    public async Task<GridResults?> ExecuteAsync(long gridId, CancellationToken cancellation = default)
    {
        var grid = await db.Grids.AsNoTracking().SingleOrDefaultAsync(g => g.Id == gridId, cancellation);
        if (grid is null) return null;

        // The join only matches Succeeded runs, so failed, canceled and unfinished runs are
        // counted by status and never reach avg/stddev_samp. Values are aggregated in seed order
        // (then run id, should a seed have been run twice) so the arrays line up across metrics.
        var rows = await db.Database.SqlQuery<VariantRow>($$"""
            SELECT r.variant AS "Variant",
                   count(*) FILTER (WHERE r.status = 'Queued')::int AS "Queued",
                   count(*) FILTER (WHERE r.status = 'Running')::int AS "Running",
                   count(*) FILTER (WHERE r.status = 'Succeeded')::int AS "Succeeded",
                   count(*) FILTER (WHERE r.status = 'Failed')::int AS "Failed",
                   count(*) FILTER (WHERE r.status = 'Canceled')::int AS "Canceled",
                   count(m.run_id)::int AS "Scored",
                   avg(m.wa) AS "WAMean", stddev_samp(m.wa) AS "WAStd",
                   avg(m.ua) AS "UAMean", stddev_samp(m.ua) AS "UAStd",
                   avg(m.weighted_f1) AS "WeightedF1Mean", stddev_samp(m.weighted_f1) AS "WeightedF1Std",
                   avg(m.macro_f1) AS "MacroF1Mean", stddev_samp(m.macro_f1) AS "MacroF1Std",
                   coalesce(array_agg(r.seed ORDER BY r.seed, r.id) FILTER (WHERE m.run_id IS NOT NULL), '{}') AS "ScoredSeeds",
                   coalesce(array_agg(m.wa ORDER BY r.seed, r.id) FILTER (WHERE m.run_id IS NOT NULL), '{}') AS "WAValues",
                   coalesce(array_agg(m.ua ORDER BY r.seed, r.id) FILTER (WHERE m.run_id IS NOT NULL), '{}') AS "UAValues",
                   coalesce(array_agg(m.weighted_f1 ORDER BY r.seed, r.id) FILTER (WHERE m.run_id IS NOT NULL), '{}') AS "WeightedF1Values",
                   coalesce(array_agg(m.macro_f1 ORDER BY r.seed, r.id) FILTER (WHERE m.run_id IS NOT NULL), '{}') AS "MacroF1Values",
                   array_agg(DISTINCT r.seed) AS "RunSeeds"
            FROM runs r
            LEFT JOIN epoch_metrics m
                   ON m.run_id = r.id AND m.epoch = r.best_epoch AND m.split = {{ScoredSplit}} AND r.status = 'Succeeded'
            WHERE r.grid_id = {{gridId}}
            GROUP BY r.variant
            ORDER BY min(r.id)
            """).ToListAsync(cancellation);

        var variants = rows.Select(r => new VariantResults
        {
            Variant = r.Variant, Queued = r.Queued, Running = r.Running, Succeeded = r.Succeeded, Failed = r.Failed, Canceled = r.Canceled,
            Unscored = r.Succeeded - r.Scored,
            MissingSeeds = grid.Seeds.Except(r.RunSeeds).Order().ToArray(),
            ScoredSeeds = r.ScoredSeeds,
            Metrics = new Dictionary<GridMetric, MetricOverSeeds>
            {
                [GridMetric.WA] = new(r.WAMean, r.WAStd, r.WAValues),
                [GridMetric.UA] = new(r.UAMean, r.UAStd, r.UAValues),
                [GridMetric.WeightedF1] = new(r.WeightedF1Mean, r.WeightedF1Std, r.WeightedF1Values),
                [GridMetric.MacroF1] = new(r.MacroF1Mean, r.MacroF1Std, r.MacroF1Values),
            },
        }).ToList();
        return new GridResults(grid, variants);
    }

    private sealed class VariantRow
    {
        public string Variant { get; init; } = "";
        public int Queued { get; init; }
        public int Running { get; init; }
        public int Succeeded { get; init; }
        public int Failed { get; init; }
        public int Canceled { get; init; }
        public int Scored { get; init; }
        public double? WAMean { get; init; }
        public double? WAStd { get; init; }
        public double? UAMean { get; init; }
        public double? UAStd { get; init; }
        public double? WeightedF1Mean { get; init; }
        public double? WeightedF1Std { get; init; }
        public double? MacroF1Mean { get; init; }
        public double? MacroF1Std { get; init; }
        public int[] ScoredSeeds { get; init; } = [];
        public double[] WAValues { get; init; } = [];
        public double[] UAValues { get; init; } = [];
        public double[] WeightedF1Values { get; init; } = [];
        public double[] MacroF1Values { get; init; } = [];
        public int[] RunSeeds { get; init; } = [];
    }
}
