using EmotionLab.Data.Queries;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Statistics;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// The grid table's content: the SQL aggregates of GridResultsQuery as they are, plus what is
/// not SQL's job: the delta of each variant's mean against the reference variant's, the t-test
/// against it (paired when both have scores for exactly the same seeds, Welch's otherwise) and the
/// best mean of each column, with the ± of the chosen interval and Holm-adjusted p-values by
/// default (<see cref="TableStatistics"/>). A leave-one-fold-out grid is compared over its fold means (<see cref="FoldAverage"/>).
/// </summary>
public sealed class GridComparison
{
    public static readonly IReadOnlyList<GridMetric> Metrics = Enum.GetValues<GridMetric>();

    /// <summary>The metric the seeds-needed figure is for: weighted F1, the ERC papers' headline score.</summary>
    public const GridMetric SeedsNeededMetric = GridMetric.WeightedF1;

    private GridComparison(GridResults results, string? reference, IReadOnlyList<ComparisonRow> rows, IReadOnlyList<string> averagedFolds, TableStatistics statistics)
    {
        Statistics = statistics;
        Results = results;
        Reference = reference;
        Rows = rows;
        AveragedFolds = averagedFolds;
    }

    /// <summary>The results the rows show: the query's, or their fold means for a leave-one-fold-out grid.</summary>
    public GridResults Results { get; }
    /// <summary>The interval after each mean and whether p-values are Holm-adjusted.</summary>
    public TableStatistics Statistics { get; }
    /// <summary>The fold axis's labels when each row is a mean over folds; empty otherwise.</summary>
    public IReadOnlyList<string> AveragedFolds { get; }
    /// <summary>The variant compared against, or null when the grid has no such variant (then no deltas or tests).</summary>
    public string? Reference { get; }
    public IReadOnlyList<ComparisonRow> Rows { get; }

    /// <summary>Compares against the requested variant, else the grid's own reference, else none; <paramref name="statistics"/> defaults to <see cref="TableStatistics.Default"/>.</summary>
    public static GridComparison Build(GridResults queried, string? requestedReference = null, TableStatistics? statistics = null)
    {
        statistics ??= TableStatistics.Default;
        var (results, folds) = FoldAverage.Apply(queried);
        var variants = results.Variants;
        var reference = new[] { requestedReference, results.Grid.ReferenceVariant }
            .FirstOrDefault(name => name is not null && variants.Any(v => v.Variant == name));
        var referenceRow = variants.FirstOrDefault(v => v.Variant == reference);
        var best = Metrics.ToDictionary(m => m, m => variants.Select(v => v.Metrics[m].Mean).Where(x => x is not null).Max());

        var rows = variants.Select(variant =>
        {
            var kind = referenceRow is null || variant == referenceRow || variant.N == 0 || referenceRow.N == 0 ? null
                : HaveSameSeeds(variant, referenceRow) ? SignificanceTest.Paired : SignificanceTest.Welch;
            return new ComparisonRow(variant, variant.Variant == reference, kind, Metrics.ToDictionary(metric => metric, metric =>
            {
                var scores = variant.Metrics[metric];
                var spread = statistics.Interval.HalfWidth(scores);
                var isBest = scores.Mean is { } mean && mean == best[metric];
                if (kind is null || scores.Mean is null || referenceRow!.Metrics[metric].Mean is null)
                    return new ComparisonCell(scores, spread, null, null, isBest);
                var (a, b) = (scores.Values, referenceRow.Metrics[metric].Values);
                var p = kind == SignificanceTest.Paired ? SeedStatistics.Paired(a, b).P : SeedStatistics.Welch(a, b).P;
                return new ComparisonCell(scores, spread, scores.Mean - referenceRow.Metrics[metric].Mean, new SignificanceTest(kind, p), isBest);
            }));
        }).ToList();
        if (statistics.Holm) rows = AdjustedByHolm(rows);
        if (referenceRow is not null) rows = rows.Select(r => r with { SeedsNeeded = SeedsNeeded(r, referenceRow) }).ToList();
        return new GridComparison(results, reference, rows, folds, statistics);
    }

    // From the observed paired differences: how many seeds the paired t-test needs at alpha 0.05
    // and power 0.8. Only for a difference not yet shown, on the seeds both rows have.
    private static int? SeedsNeeded(ComparisonRow row, VariantResults reference)
    {
        var cell = row.Cells[SeedsNeededMetric];
        if (row.TestKind != SignificanceTest.Paired || cell.Test is not { IsDefined: true } test || test.IsSignificant) return null;
        var differences = cell.Scores.Values.Zip(reference.Metrics[SeedsNeededMetric].Values, (a, b) => a - b).ToArray();
        var summary = SeedSummary.Of(differences);
        return PairedTTestPower.SeedsNeeded(summary.Mean, summary.Std);
    }

    // Holm over the variants compared with the reference, one family per metric (undefined tests do not count).
    private static List<ComparisonRow> AdjustedByHolm(List<ComparisonRow> rows)
    {
        var cells = rows.ToDictionary(r => r, r => r.Cells.ToDictionary());
        foreach (var metric in Metrics)
        {
            var tested = rows.Where(r => r.Cells[metric].Test is not null).ToList();
            var adjusted = HolmAdjustment.Adjust(tested.Select(r => r.Cells[metric].Test!.P).ToList());
            for (var i = 0; i < tested.Count; i++)
            {
                var cell = tested[i].Cells[metric];
                cells[tested[i]][metric] = cell with { Test = cell.Test! with { AdjustedP = double.IsNaN(adjusted[i]) ? null : adjusted[i] } };
            }
        }
        return rows.Select(r => r with { Cells = cells[r] }).ToList();
    }

    // Pairing needs one value per seed on both sides for the same seeds (a seed fixes data order and init).
    private static bool HaveSameSeeds(VariantResults variant, VariantResults reference) =>
        variant.ScoredSeeds.SequenceEqual(reference.ScoredSeeds) && variant.ScoredSeeds.Distinct().Count() == variant.ScoredSeeds.Count;
}
