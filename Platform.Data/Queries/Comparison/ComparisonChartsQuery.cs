using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EmotionLab.Data.Queries.Comparison;

/// <summary>
/// The compare page's chart data for some runs. What is aggregation stays in PostgreSQL: per-class
/// F1 from each best-epoch test matrix, the means over seeds per experiment (of the matrices, the
/// per-class F1 and the validation curve), and the loss curves'
/// bucket means (a long run's thousands of steps would otherwise reach the browser twenty times
/// over). Each piece reads by run id (the run_id-led keys of step_losses, epoch_metrics and
/// confusion_matrices), so the cost follows the runs compared, not the lab.
/// </summary>
public sealed class ComparisonChartsQuery(EmotionLabDbContext db)
{
    /// <summary>The most points one run's loss curve is drawn with; longer runs average buckets of steps.</summary>
    public const int MaxLossPoints = 400;

    /// <summary>The charts of these runs (ids of existing runs, in the order they are compared).</summary>
    public async Task<ComparisonCharts> ExecuteAsync(IReadOnlyList<long> runIds, CancellationToken cancellation = default)
    {
        var ids = runIds.Distinct().ToArray();
        var losses = await LossesAsync(ids, cancellation);
        var validation = await ValidationWeightedF1Async(ids, cancellation);
        var curves = ids.ToDictionary(id => id, id => new RunCurves(
            losses[id].Select(l => new CurvePoint(l.Step, l.Loss)).ToList(),
            losses[id].Select(l => l.Width).FirstOrDefault(1),
            validation[id].Select(v => new CurvePoint(v.Epoch, v.WeightedF1)).ToList()));
        var matrices = await BestEpochConfusionsAsync(ids, cancellation);

        // Experiments in the order their first run is compared.
        var position = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var variants = (await VariantMeansAsync(ids, cancellation)).OrderBy(v => v.RunIds.Min(id => position[id])).ToList();
        return new ComparisonCharts(curves, matrices, variants, await MeanValidationCurvesAsync(ids, cancellation));
    }

    // Steps are grouped into buckets of `width` consecutive steps so no run has more than
    // MaxLossPoints points; a bucket is drawn at its mean step with its mean loss (width 1: every step as it is).
    private async Task<ILookup<long, LossRow>> LossesAsync(long[] ids, CancellationToken cancellation) =>
        (await db.Database.SqlQuery<LossRow>($"""
            SELECT s.run_id AS "RunId", w.width AS "Width", avg(s.step)::float8 AS "Step", avg(s.loss) AS "Loss"
            FROM unnest({ids}) AS ids(run_id)
            CROSS JOIN LATERAL (
                SELECT greatest(1, ceil(max(step)::float8 / {MaxLossPoints}))::int AS width FROM step_losses WHERE run_id = ids.run_id) w
            JOIN step_losses s ON s.run_id = ids.run_id
            GROUP BY s.run_id, w.width, (s.step - 1) / w.width
            ORDER BY 1, 3
            """).ToListAsync(cancellation)).ToLookup(l => l.RunId);

    private async Task<ILookup<long, EpochScore>> ValidationWeightedF1Async(long[] ids, CancellationToken cancellation) =>
        (await db.EpochMetrics.AsNoTracking()
            .Where(m => ids.Contains(m.RunId) && m.Split == "validation")
            .OrderBy(m => m.RunId).ThenBy(m => m.Epoch)
            .Select(m => new EpochScore(m.RunId, m.Epoch, m.WeightedF1))
            .ToListAsync(cancellation)).ToLookup(m => m.RunId);

    // Per experiment and epoch, over the compared runs that reached the epoch: the mean validation
    // weighted F1 and its sample standard deviation (null for one run), the curve a variant's band is drawn around.
    private async Task<ILookup<long, MeanCurvePoint>> MeanValidationCurvesAsync(long[] ids, CancellationToken cancellation) =>
        (await db.Database.SqlQuery<MeanCurveRow>($"""
            SELECT r.experiment_id AS "ExperimentId", m.epoch AS "Epoch", count(*)::int AS "N",
                   avg(m.weighted_f1) AS "Mean", stddev_samp(m.weighted_f1) AS "Std"
            FROM runs r JOIN epoch_metrics m ON m.run_id = r.id AND m.split = 'validation'
            WHERE r.id = ANY({ids})
            GROUP BY r.experiment_id, m.epoch
            ORDER BY 1, 2
            """).ToListAsync(cancellation))
        .ToLookup(c => c.ExperimentId, c => new MeanCurvePoint(c.Epoch, c.N, c.Mean, c.Std));

    private async Task<Dictionary<long, BestEpochConfusion>> BestEpochConfusionsAsync(long[] ids, CancellationToken cancellation) =>
        (await db.Database.SqlQueryRaw<ConfusionRow>("WITH " + BestEpochClassCountsSql.Ctes + """

            SELECT b.run_id AS "RunId", b.epoch AS "Epoch", b.labels AS "Labels", b.counts AS "Counts", array_agg(s.f1 ORDER BY s.k) AS "F1"
            FROM best b JOIN classes s ON s.run_id = b.run_id
            GROUP BY b.run_id, b.epoch, b.labels, b.counts
            """, RunIds(ids)).ToListAsync(cancellation))
        .ToDictionary(m => m.RunId, m => new BestEpochConfusion(m.Epoch, m.Labels, m.Counts, m.F1));

    /// <summary>
    /// Per experiment (and label set, which an experiment's runs share) among these runs: the mean
    /// over its runs of each row-normalised cell and of each class's F1, with the F1's sample
    /// standard deviation. A grid's matrices figure needs these alone.
    /// </summary>
    public async Task<List<VariantMeans>> VariantMeansAsync(long[] ids, CancellationToken cancellation = default) =>
        (await db.Database.SqlQueryRaw<VariantRow>("WITH " + BestEpochClassCountsSql.Ctes + """
            ,
            shares AS (
                SELECT c.run_id, c.t, c.p, CASE WHEN t.support = 0 THEN 0::float8 ELSE c.count::float8 / t.support::float8 END AS share
                FROM cells c JOIN truth t ON t.run_id = c.run_id AND t.k = c.t
            ),
            variant_runs AS (
                SELECT experiment_id, labels, array_agg(run_id ORDER BY run_id) AS run_ids FROM best GROUP BY experiment_id, labels
            ),
            mean_cells AS (
                SELECT b.experiment_id, b.labels, s.t, s.p, avg(s.share) AS mean
                FROM shares s JOIN best b USING (run_id) GROUP BY b.experiment_id, b.labels, s.t, s.p
            ),
            class_f1 AS (
                SELECT b.experiment_id, b.labels, s.k, avg(s.f1) AS mean, stddev_samp(s.f1) AS std
                FROM classes s JOIN best b USING (run_id) GROUP BY b.experiment_id, b.labels, s.k
            )
            SELECT g.experiment_id AS "ExperimentId", g.labels AS "Labels", g.run_ids AS "RunIds",
                   (SELECT array_agg(m.mean ORDER BY m.t, m.p) FROM mean_cells m WHERE m.experiment_id = g.experiment_id AND m.labels = g.labels) AS "MeanRowNormalised",
                   (SELECT array_agg(f.mean ORDER BY f.k) FROM class_f1 f WHERE f.experiment_id = g.experiment_id AND f.labels = g.labels) AS "F1Mean",
                   CASE WHEN cardinality(g.run_ids) > 1 THEN
                       (SELECT array_agg(f.std ORDER BY f.k) FROM class_f1 f WHERE f.experiment_id = g.experiment_id AND f.labels = g.labels) END AS "F1Std"
            FROM variant_runs g
            """, RunIds(ids)).ToListAsync(cancellation))
        .Select(v => new VariantMeans(v.ExperimentId, v.Labels, v.RunIds, v.MeanRowNormalised, v.F1Mean, v.F1Std)).ToList();

    private static NpgsqlParameter RunIds(long[] ids) => new(BestEpochClassCountsSql.RunIdsParameter, ids);

    private sealed record EpochScore(long RunId, int Epoch, double WeightedF1);

    private sealed class MeanCurveRow
    {
        public long ExperimentId { get; init; }
        public int Epoch { get; init; }
        public int N { get; init; }
        public double Mean { get; init; }
        public double? Std { get; init; }
    }

    private sealed class LossRow
    {
        public long RunId { get; init; }
        public int Width { get; init; }
        public double Step { get; init; }
        public double Loss { get; init; }
    }

    private sealed class ConfusionRow
    {
        public long RunId { get; init; }
        public int Epoch { get; init; }
        public string[] Labels { get; init; } = [];
        public int[] Counts { get; init; } = [];
        public double[] F1 { get; init; } = [];
    }

    private sealed class VariantRow
    {
        public long ExperimentId { get; init; }
        public string[] Labels { get; init; } = [];
        public long[] RunIds { get; init; } = [];
        public double[] MeanRowNormalised { get; init; } = [];
        public double[] F1Mean { get; init; } = [];
        public double[]? F1Std { get; init; }
    }
}
