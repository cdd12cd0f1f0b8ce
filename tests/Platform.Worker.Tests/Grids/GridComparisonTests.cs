using EmotionLab.Data.Queries;
using EmotionLab.Models.Experiments;
using EmotionLab.Worker.Grids;
using static EmotionLab.Worker.Tests.Grids.GridResultsFromSeeds;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>What the grid table adds to the SQL aggregates: the choice of test, deltas, the reference, the best cell.</summary>
public sealed class GridComparisonTests
{
    [Fact]
    public void Same_seeds_are_compared_with_the_paired_test_and_different_seeds_with_welch()
    {
        var full = Variant("full", [1, 2, 3, 4], [0.70, 0.72, 0.69, 0.71]);
        var sameSeeds = Variant("w/o A", [1, 2, 3, 4], [0.66, 0.69, 0.64, 0.68]);
        var oneSeedFailed = Variant("w/o B", [1, 2, 4], [0.66, 0.69, 0.68]);

        var comparison = GridComparison.Build(Results("full", full, sameSeeds, oneSeedFailed));

        var paired = comparison.Rows[1].Cells[GridMetric.WeightedF1];
        Assert.Equal(SignificanceTest.Paired, paired.Test!.Kind);
        Assert.Equal(SeedStatistics.Paired(sameSeeds.Metrics[GridMetric.WeightedF1].Values, full.Metrics[GridMetric.WeightedF1].Values).P, paired.Test.P, 12);
        Assert.Equal(sameSeeds.Metrics[GridMetric.WeightedF1].Mean!.Value - full.Metrics[GridMetric.WeightedF1].Mean!.Value, paired.Delta!.Value, 12);

        var welch = comparison.Rows[2].Cells[GridMetric.WeightedF1];
        Assert.Equal(SignificanceTest.Welch, welch.Test!.Kind);
        Assert.Equal(SeedStatistics.Welch(oneSeedFailed.Metrics[GridMetric.WeightedF1].Values, full.Metrics[GridMetric.WeightedF1].Values).P, welch.Test.P, 12);

        Assert.Equal([null, SignificanceTest.Paired, SignificanceTest.Welch], comparison.Rows.Select(r => r.TestKind));
        Assert.True(comparison.Rows[0].IsReference);
        Assert.Null(comparison.Rows[0].Cells[GridMetric.WeightedF1].Delta);
        Assert.Equal([true, false, false], comparison.Rows.Select(r => r.Cells[GridMetric.WeightedF1].IsBest));
    }

    [Fact]
    public void A_variant_without_scores_has_no_delta_and_a_grid_without_its_reference_has_no_tests()
    {
        var full = Variant("full", [1, 2], [0.70, 0.72]);
        var allFailed = Variant("w/o A", [], []);
        var comparison = GridComparison.Build(Results("full", full, allFailed));
        Assert.Null(comparison.Rows[1].Cells[GridMetric.UA].Delta);
        Assert.Null(comparison.Rows[1].Cells[GridMetric.UA].Test);
        Assert.False(comparison.Rows[1].Cells[GridMetric.UA].IsBest);
        Assert.Null(comparison.Rows[1].TestKind);

        var noReference = GridComparison.Build(Results("gone", full, allFailed));
        Assert.Null(noReference.Reference);
        Assert.All(noReference.Rows, r => Assert.Null(r.Cells[GridMetric.WA].Test));

        Assert.Equal("w/o A", GridComparison.Build(Results("full", full, allFailed), "w/o A").Reference);
    }

    [Fact]
    public void A_paired_difference_not_yet_significant_says_how_many_seeds_would_show_it()
    {
        var full = Variant("full", [1, 2, 3], [0.700, 0.710, 0.690]);
        var slightlyWorse = Variant("w/o A", [1, 2, 3], [0.690, 0.708, 0.684]);
        var clearlyWorse = Variant("w/o B", [1, 2, 3], [0.600, 0.611, 0.589]);
        var otherSeeds = Variant("w/o C", [1, 2], [0.690, 0.700]);
        var rows = GridComparison.Build(Results("full", full, slightlyWorse, clearlyWorse, otherSeeds)).Rows;

        var differences = new[] { 0.690 - 0.700, 0.708 - 0.710, 0.684 - 0.690 };
        var expected = EmotionLab.Models.Statistics.PairedTTestPower.SeedsNeeded(differences.Average(), SeedSummary.Of(differences).Std);
        Assert.NotNull(expected);
        Assert.Equal(expected, rows[1].SeedsNeeded);
        Assert.Equal(expected - 3, rows[1].MoreSeeds);
        Assert.Null(rows[2].SeedsNeeded); // already significant
        Assert.Null(rows[3].SeedsNeeded); // Welch: no paired differences
        Assert.Null(rows[0].SeedsNeeded);
    }
}
