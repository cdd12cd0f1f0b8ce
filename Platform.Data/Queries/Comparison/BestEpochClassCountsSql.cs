namespace EmotionLab.Data.Queries.Comparison;

/// <summary>
/// The SQL both comparison aggregates start from, as CTEs over the run ids in @runIds: each run's
/// test confusion matrix at its best epoch (best), its cells with their true and predicted class
/// (cells), per true class the support and true positives (truth), and per class the counts and F1
/// (classes). The F1 is scikit-learn's per-class f1_score from the matrix: 2·TP / (support + predicted),
/// and 0 when a class is neither true nor predicted (its zero_division default), computed in float8
/// so it is the same IEEE division a client would do.
/// </summary>
internal static class BestEpochClassCountsSql
{
    public const string RunIdsParameter = "runIds";

    public const string Ctes = """
        best AS (
            SELECT r.id AS run_id, r.experiment_id, c.epoch, c.labels, c.counts, cardinality(c.labels) AS n
            FROM runs r
            JOIN confusion_matrices c ON c.run_id = r.id AND c.epoch = r.best_epoch AND c.split = 'test'
            WHERE r.id = ANY(@runIds) AND cardinality(c.labels) > 0
        ),
        cells AS (
            SELECT b.run_id, (u.i - 1)::int / b.n AS t, (u.i - 1)::int % b.n AS p, u.count
            FROM best b CROSS JOIN LATERAL unnest(b.counts) WITH ORDINALITY AS u(count, i)
        ),
        truth AS (
            SELECT run_id, t AS k, sum(count) AS support, sum(count) FILTER (WHERE t = p) AS tp
            FROM cells GROUP BY run_id, t
        ),
        predicted AS (
            SELECT run_id, p AS k, sum(count) AS predicted FROM cells GROUP BY run_id, p
        ),
        classes AS (
            SELECT t.run_id, t.k, t.support, p.predicted, t.tp,
                   CASE WHEN t.support + p.predicted = 0 THEN 0::float8
                        ELSE 2 * t.tp::float8 / (t.support + p.predicted)::float8 END AS f1
            FROM truth t JOIN predicted p USING (run_id, k)
        )
        """;
}
