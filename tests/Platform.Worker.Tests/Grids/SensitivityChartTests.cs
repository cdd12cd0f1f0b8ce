using System.Text.Json;
using System.Text.Json.Nodes;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Models.Experiments;
using EmotionLab.Worker.Grids;

namespace EmotionLab.Worker.Tests.Grids;

public sealed class SensitivityChartTests
{
    private static VariantResults Variant(string name, double weightedF1, double? std) => new()
    {
        Variant = name, ScoredSeeds = [0, 1],
        Metrics = Enum.GetValues<GridMetric>().ToDictionary(m => m, m => new MetricOverSeeds(m == GridMetric.WeightedF1 ? weightedF1 : 0.5, std, [0.1, 0.2])),
    };

    private static GridResults Results(IReadOnlyList<GridAxis> axes, params VariantResults[] variants) => new(
        new Grid { Name = "g", Family = "jointvector", BaseSpecJson = "{}", AxesJson = JsonSerializer.Serialize(axes, ExperimentSpecJson.Options) }, variants);

    [Fact]
    public void A_numeric_axis_gives_one_line_per_value_of_the_other_axes_ordered_by_the_number()
    {
        var axes = new[] { GridAxis.Over("jointVector.blocks", 4, 1, 2), GridAxis.Over("jointVector.fusion", "jfm", "cfa") };
        var results = Results(axes,
            Variant("4, jfm", 0.64, 0.01), Variant("4, cfa", 0.61, 0.02), Variant("1, jfm", 0.60, 0.03),
            Variant("1, cfa", 0.58, null), Variant("2, jfm", 0.66, 0.01), Variant("2, cfa", 0.62, 0.02));

        var chart = Assert.Single(SensitivityChart.For(results)); // fusion is not numeric
        Assert.Equal("jointVector.blocks", chart.Axis);
        Assert.Equal(["jfm", "cfa"], chart.Lines.Select(l => l.Name));
        var jfm = chart.Lines[0].Points;
        Assert.Equal([1.0, 2, 4], jfm.Select(p => p.X));
        Assert.Equal([0.60, 0.66, 0.64], jfm.Select(p => p.Metrics["WeightedF1"].Mean));
        Assert.Equal(["1, jfm", "2, jfm", "4, jfm"], jfm.Select(p => p.Variant));
        Assert.Null(chart.Lines[1].Points[0].Metrics["WeightedF1"].Std);
    }

    [Fact]
    public void Grids_without_a_numeric_axis_or_with_unsplittable_names_have_no_chart()
    {
        Assert.Empty(SensitivityChart.For(Results([GridAxis.Over("variant", "text", "audio")], Variant("text", 0.5, 0.1), Variant("audio", 0.4, 0.1))));
        // A label holding ", " cannot be told apart from two labels.
        Assert.Empty(SensitivityChart.For(Results([GridAxis.Over("x", 1, 2)], Variant("1", 0.5, 0.1), Variant("2, b", 0.4, 0.1))));
    }
}
