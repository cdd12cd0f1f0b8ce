using System.Text.Json;
using EmotionLab.Data.Queries;
using EmotionLab.Models.Experiments;
using EmotionLab.Worker.Grids;
using static EmotionLab.Worker.Tests.Grids.GridResultsFromSeeds;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>A leave-one-fold-out grid is reported per row as the mean over its folds, seed by seed, as IEMOCAP papers report it.</summary>
public sealed class FoldAverageTests
{
    // input (text | full) x fold 1..3, as GridExpansion names the variants: "text, fold 1", ...
    private static GridResults FoldGrid(params VariantResults[] variants)
    {
        var grid = Grid("full, fold 1", "iemocap folds", [1, 2]);
        grid.AxesJson = JsonSerializer.Serialize(new[] { GridAxis.Over("input", "text", "full"), GridAxis.Folds(3) }, ExperimentSpecJson.Options);
        return new GridResults(grid, variants);
    }

    [Fact]
    public void Each_row_is_per_seed_the_mean_over_folds_and_is_compared_over_seeds()
    {
        var results = FoldGrid(
            Variant("text, fold 1", [1, 2], [0.50, 0.60]),
            Variant("text, fold 2", [1, 2], [0.40, 0.50]),
            Variant("text, fold 3", [1, 2], [0.60, 0.40]),
            Variant("full, fold 1", [1, 2], [0.70, 0.80]),
            Variant("full, fold 2", [1, 2], [0.60, 0.70]),
            Variant("full, fold 3", [1, 2], [0.80, 0.60]));

        var comparison = GridComparison.Build(results);

        Assert.Equal(["text", "full"], comparison.Rows.Select(r => r.Variant.Variant));
        Assert.Equal("full", comparison.Reference);
        Assert.Equal(["fold 1", "fold 2", "fold 3"], comparison.AveragedFolds);
        // text: seed 1 (0.5 + 0.4 + 0.6) / 3 = 0.5, seed 2 (0.6 + 0.5 + 0.4) / 3 = 0.5; full: 0.7 and 0.7.
        var text = comparison.Rows[0].Cells[GridMetric.WeightedF1];
        Assert.Equal([0.5, 0.5], text.Scores.Values.Select(v => Math.Round(v, 12)));
        Assert.Equal(0.5, text.Scores.Mean!.Value, 12);
        Assert.Equal(0.0, text.Scores.Std!.Value, 12);
        Assert.Equal(-0.2, text.Delta!.Value, 12);
        Assert.Equal(SignificanceTest.Paired, comparison.Rows[0].TestKind);
        Assert.Equal([1, 2], comparison.Rows[1].Variant.ScoredSeeds);
        Assert.Equal(6, comparison.Rows[1].Variant.Succeeded);
        // The grid as the table shows it has only the input axis left.
        Assert.Equal(["input"], JsonSerializer.Deserialize<List<GridAxis>>(comparison.Results.Grid.AxesJson, ExperimentSpecJson.Options)!.Select(a => a.Name));
        Assert.Contains("mean over the 3 test folds (fold 1, fold 2, fold 3)", GridTable.From(comparison).FoldNote);
    }

    [Fact]
    public void A_seed_counts_only_when_every_fold_scored_it()
    {
        var results = FoldGrid(
            Variant("text, fold 1", [1, 2], [0.50, 0.60]),
            Variant("text, fold 2", [1], [0.40]) with { Failed = 1 },
            Variant("text, fold 3", [1, 2], [0.60, 0.40]),
            Variant("full, fold 1", [1, 2], [0.70, 0.80]),
            Variant("full, fold 2", [1, 2], [0.60, 0.70]),
            Variant("full, fold 3", [1, 2], [0.80, 0.60]));

        var text = GridComparison.Build(results).Rows[0];

        Assert.Equal([1], text.Variant.ScoredSeeds);
        Assert.Equal(0.5, text.Cells[GridMetric.UA].Scores.Mean!.Value, 12);
        Assert.Null(text.Cells[GridMetric.UA].Scores.Std);
        Assert.Equal(1, text.Variant.Failed);
        Assert.Equal(SignificanceTest.Welch, text.TestKind);
    }

    [Fact]
    public void A_grid_over_folds_alone_has_one_row_and_other_grids_are_left_as_they_are()
    {
        var grid = Grid("fold 1", "folds", [1]);
        grid.AxesJson = JsonSerializer.Serialize(new[] { GridAxis.Folds(2) }, ExperimentSpecJson.Options);
        var comparison = GridComparison.Build(new GridResults(grid, [Variant("fold 1", [1], [0.4]), Variant("fold 2", [1], [0.6])]));
        Assert.Equal("mean over folds", Assert.Single(comparison.Rows).Variant.Variant);
        Assert.Equal(0.5, comparison.Rows[0].Cells[GridMetric.MacroF1].Scores.Mean!.Value, 12);
        Assert.True(comparison.Rows[0].IsReference);

        var plain = GridComparison.Build(Results("full", Variant("full", [1, 2], [0.7, 0.72]), Variant("w/o A", [1, 2], [0.6, 0.65])));
        Assert.Empty(plain.AveragedFolds);
        Assert.Null(GridTable.From(plain).FoldNote);
        Assert.Equal(["full", "w/o A"], plain.Rows.Select(r => r.Variant.Variant));
    }

    [Fact]
    public void Exports_say_that_rows_are_means_over_folds_and_take_the_row_as_reference()
    {
        var results = FoldGrid(
            Variant("text, fold 1", [1, 2], [0.50, 0.60]), Variant("text, fold 2", [1, 2], [0.40, 0.50]), Variant("text, fold 3", [1, 2], [0.60, 0.40]),
            Variant("full, fold 1", [1, 2], [0.70, 0.80]), Variant("full, fold 2", [1, 2], [0.60, 0.70]), Variant("full, fold 3", [1, 2], [0.80, 0.60]));
        Assert.Null(GridTableExport.ReferenceProblem(results, "text"));
        Assert.Contains("'text', 'full'", GridTableExport.ReferenceProblem(results, "text, fold 1"));
        Assert.Contains("Leave-one-fold-out", GridTableExport.Write(results, "text", GridTableFormat.Markdown));
        Assert.Contains("Leave-one-fold-out", GridTableExport.Write(results, null, GridTableFormat.Latex));
    }
}
