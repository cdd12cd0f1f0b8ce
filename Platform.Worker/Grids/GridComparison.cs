using EmotionLab.Data.Queries;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// The grid table's content: the SQL aggregates of GridResultsQuery as they are, plus what is
/// not SQL's job: the delta of each variant's mean against the reference variant's, the t-test
/// against it (paired when both have scores for exactly the same seeds, Welch's otherwise) and the
/// best mean of each column. A leave-one-fold-out grid is compared over its fold means (<see cref="FoldAverage"/>).
/// </summary>
public sealed class GridComparison
{
    public static readonly IReadOnlyList<GridMetric> Metrics = Enum.GetValues<GridMetric>();

    private GridComparison(GridResults results, string? reference, IReadOnlyList<ComparisonRow> rows, IReadOnlyList<string> averagedFolds)
    {
        Results = results;
        Reference = reference;
        Rows = rows;
        AveragedFolds = averagedFolds;
    }

    /// <summary>The results the rows show: the query's, or their fold means for a leave-one-fold-out grid.</summary>
    public GridResults Results { get; }
    /// <summary>The fold axis's labels when each row is a mean over folds; empty otherwise.</summary>
    public IReadOnlyList<string> AveragedFolds { get; }
    /// <summary>The variant compared against, or null when the grid has no such variant (then no deltas or tests).</summary>
    public string? Reference { get; }
    public IReadOnlyList<ComparisonRow> Rows { get; }

    /// <summary>Compares against the requested variant, else the grid's own reference, else none.</summary>
    public static GridComparison Build(GridResults queried, string? requestedReference = null)
    {
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
                var isBest = scores.Mean is { } mean && mean == best[metric];
                if (kind is null || scores.Mean is null || referenceRow!.Metrics[metric].Mean is null)
                    return new ComparisonCell(scores, null, null, isBest);
                var (a, b) = (scores.Values, referenceRow.Metrics[metric].Values);
                var p = kind == SignificanceTest.Paired ? SeedStatistics.Paired(a, b).P : SeedStatistics.Welch(a, b).P;
                return new ComparisonCell(scores, scores.Mean - referenceRow.Metrics[metric].Mean, new SignificanceTest(kind, p), isBest);
            }));
        }).ToList();
        return new GridComparison(results, reference, rows, folds);
    }

    // Pairing needs one value per seed on both sides for the same seeds (a seed fixes data order and init).
    private static bool HaveSameSeeds(VariantResults variant, VariantResults reference) =>
        variant.ScoredSeeds.SequenceEqual(reference.ScoredSeeds) && variant.ScoredSeeds.Distinct().Count() == variant.ScoredSeeds.Count;
}
