using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// A grid's comparison as a paper table, shared by the CSV, Markdown and LaTeX exports: one row
/// per variant (the comparison's rows, so every format shows the same numbers, deltas, tests and
/// best cells as /grids/{id}), a column per metric, and the notes a reader needs under the table:
/// the runs left out of the statistics and which rows used Welch's test.
/// </summary>
public sealed class GridTable
{
    private GridTable(GridComparison comparison) => Comparison = comparison;

    public GridComparison Comparison { get; }
    public Grid Grid => Comparison.Results.Grid;
    public IReadOnlyList<GridTableColumn> Columns => GridTableColumn.All;
    public IReadOnlyList<ComparisonRow> Rows => Comparison.Rows;
    /// <summary>The variant deltas and tests are against; null when there is none (then the table has no deltas or markers).</summary>
    public string? Reference => Comparison.Reference;

    public static GridTable From(GridComparison comparison) => new(comparison);

    /// <summary>How a row is named in every format (a single experiment's variant has no name).</summary>
    public static string Label(VariantResults variant) => variant.Variant.Length > 0 ? variant.Variant : "(unnamed)";

    /// <summary>
    /// "w/o ICN: 5 failed, 2 canceled, missing seeds 3, 4", one per variant with runs outside the
    /// statistics, so a table never silently averages over fewer seeds than the grid has.
    /// </summary>
    public IReadOnlyList<string> ExclusionNotes => Rows.Select(r => r.Variant).Where(v => v.Excluded > 0).Select(v =>
    {
        var parts = new (int Count, string Label)[]
        {
            (v.Failed, "failed"), (v.Canceled, "canceled"), (v.Running, "running"), (v.Queued, "queued"), (v.Unscored, "without a test score"),
        }.Where(p => p.Count > 0).Select(p => $"{p.Count} {p.Label}").ToList();
        if (v.MissingSeeds.Count > 0) parts.Add($"missing seed{(v.MissingSeeds.Count == 1 ? "" : "s")} {string.Join(", ", v.MissingSeeds)}");
        return $"{Label(v)}: {string.Join(", ", parts)}";
    }).ToList();

    public TableStatistics Statistics => Comparison.Statistics;

    /// <summary>"p-values Holm–Bonferroni adjusted over the 4 variants compared with the reference, per metric", or that they are raw.</summary>
    public string AdjustmentNote => Statistics.Holm
        ? $"p-values Holm–Bonferroni adjusted over the {Rows.Count(r => r.TestKind is not null)} variants compared with the reference, per metric"
        : "raw p-values, not adjusted for multiple comparisons";

    /// <summary>What a row is in a leave-one-fold-out grid ("each score is, per seed, the mean over the 5 test folds ..."); null for any other grid.</summary>
    public string? FoldNote => Comparison.AveragedFolds.Count == 0 ? null
        : $"Leave-one-fold-out: each score is, per seed, the mean over the {Comparison.AveragedFolds.Count} test folds ({string.Join(", ", Comparison.AveragedFolds)}); the mean, its ± and the tests are over seeds.";

    /// <summary>Rows compared with Welch's test because their scored seeds differ from the reference's.</summary>
    public IReadOnlyList<string> WelchRows => Rows.Where(r => r.TestKind == SignificanceTest.Welch).Select(r => Label(r.Variant)).ToList();
}
