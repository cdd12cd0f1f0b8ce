using System.Text.Json;
using System.Xml.Linq;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Experiments;
using EmotionLab.Worker.Figures;
using EmotionLab.Worker.Grids;
using EmotionLab.Worker.Tests.Grids;
using SkiaSharp;

namespace EmotionLab.Worker.Tests.Figures;

/// <summary>
/// Every figure read back as a reader of the file would: the SVG parses as XML and carries its axis
/// labels and one legend entry per series, the confusion matrix has no raster in it, and the PNG
/// decodes at 300 dpi of the column width.
/// </summary>
public sealed class FigureTests
{
    private static readonly GridTableColumn WeightedF1 = GridTableColumn.All.Single(c => c.CsvPrefix == "wf1");

    private static byte[] Rendered(Figure figure, FigureFormat format, FigureSize size)
    {
        var bytes = figure.Render(format, size);
        File.WriteAllBytes(Path.Combine(ArtifactFolder.Of("figures"), $"{figure.Name}-{size.Name}.{format.Name}"), bytes);
        return bytes;
    }

    /// <summary>The SVG as XML, and every piece of text in it, one per line.</summary>
    private static (XDocument Svg, string Text) ReadSvg(Figure figure, FigureSize size)
    {
        var svg = XDocument.Parse(System.Text.Encoding.UTF8.GetString(Rendered(figure, FigureFormat.Svg, size)));
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Equal(size.SvgWidth.ToString(), svg.Root.Attribute("width")?.Value);
        return (svg, string.Join("\n", svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim())));
    }

    private static void AssertPng(Figure figure, FigureSize size)
    {
        using var bitmap = SKBitmap.Decode(Rendered(figure, FigureFormat.Png, size));
        Assert.NotNull(bitmap);
        Assert.Equal((size.PngWidth, size.PngHeight), (bitmap.Width, bitmap.Height));
        Assert.Equal((1050, 780), (FigureSize.Single.PngWidth, FigureSize.Single.PngHeight)); // 3.5 x 2.6 in at 300 dpi
    }

    private static IReadOnlyList<StepLoss> Steps(int count) =>
        Enumerable.Range(1, count).Select(step => new StepLoss { RunId = 1, Step = step, Epoch = 1 + step / 10, Loss = 2.0 / step + 0.1 * Math.Sin(step) }).ToList();

    [Fact]
    public void The_loss_figure_draws_the_raw_and_the_smoothed_loss_against_steps()
    {
        var figure = RunFigures.Loss(12, Steps(50), smoothing: 0.9);
        Assert.Equal("run-12-loss", figure.Name);
        var (_, text) = ReadSvg(figure, FigureSize.Single);
        Assert.Contains("step", text);
        Assert.Contains("training loss", text);
        Assert.Contains("loss", text);
        Assert.Contains("smoothed (0.9)", text);
        AssertPng(figure, FigureSize.Single);
        AssertPng(figure, FigureSize.Double);

        // No smoothing: the raw loss alone.
        Assert.DoesNotContain("smoothed", ReadSvg(RunFigures.Loss(12, Steps(50), smoothing: 0), FigureSize.Single).Text);
    }

    [Fact]
    public void Smoothing_is_tensorboards_debiased_moving_average()
    {
        // By hand: (0.5·1)/0.5 = 1; (0.25 + 1)/0.75; (0.625 + 1.5)/0.875.
        var smoothed = RunFigures.MovingAverage([1, 2, 3], 0.5);
        Assert.Equal([1.0, 1.25 / 0.75, 2.125 / 0.875], smoothed.Select(v => Math.Round(v, 12)), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void The_curves_figure_has_one_series_per_split_in_percent()
    {
        var epochs = new[] { "train", "validation", "test" }.SelectMany((split, s) => Enumerable.Range(0, 4).Select(epoch => new EpochMetric
        {
            RunId = 3, Epoch = epoch, Split = split, WeightedF1 = 0.3 + 0.1 * epoch - 0.05 * s, WA = 0.5, UA = 0.4, MacroF1 = 0.35,
        })).ToList();
        var figure = RunFigures.Curves(3, epochs, WeightedF1);
        var (_, text) = ReadSvg(figure, FigureSize.Single);
        foreach (var label in new[] { "epoch", "WF1 (%)", "train", "validation", "test" }) Assert.Contains(label, text);
        AssertPng(figure, FigureSize.Single);
    }

    [Fact]
    public void The_confusion_matrix_is_vector_cells_with_their_counts_or_row_fractions()
    {
        var matrix = new ConfusionMatrixRow
        {
            RunId = 5, Epoch = 7, Split = "test", Labels = ["neutral", "joy", "sadness"], Counts = [8, 1, 1, 2, 6, 2, 0, 3, 7],
        };
        var (svg, text) = ReadSvg(RunFigures.Matrix(5, matrix, normalised: false), FigureSize.Single);
        Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName == "image"); // no embedded raster to blur
        foreach (var label in new[] { "neutral", "joy", "sadness", "predicted", "true", "test, epoch 7" }) Assert.Contains(label, text);
        foreach (var count in new[] { "8", "6", "7", "3" }) Assert.Contains(count, text.Split('\n'));

        var normalised = RunFigures.Matrix(5, matrix, normalised: true);
        Assert.Equal("run-5-matrix-test-epoch-7-normalised", normalised.Name);
        var lines = ReadSvg(normalised, FigureSize.Single).Text.Split('\n');
        Assert.Contains("0.80", lines); // 8 of neutral's 10
        Assert.Contains("0.60", lines); // 6 of joy's 10
        Assert.Contains("0.70", lines); // 7 of sadness' 10
        AssertPng(normalised, FigureSize.Double);
    }

    [Fact]
    public void The_bars_figure_has_a_bar_per_variant_with_its_seed_count()
    {
        var results = AblationGrid.Results();
        var figure = GridFigures.Bars(results, WeightedF1, SpreadInterval.Std);
        var (_, text) = ReadSvg(figure, FigureSize.Double);
        foreach (var variant in results.Variants.Where(v => v.N > 0)) Assert.Contains($"{variant.Variant} (n={variant.N})", text);
        Assert.Contains("WF1 (%), ± std", text);
        AssertPng(figure, FigureSize.Double);
    }

    [Fact]
    public void The_sensitivity_figure_has_a_line_per_combination_of_the_other_axes()
    {
        VariantResults Variant(string name, double f1) => new()
        {
            Variant = name, ScoredSeeds = [0, 1],
            Metrics = Enum.GetValues<GridMetric>().ToDictionary(m => m, m => new MetricOverSeeds(f1, 0.01, [f1 - 0.01, f1 + 0.01])),
        };
        var axes = new[] { GridAxis.Over("jointVector.blocks", 1, 2, 4), GridAxis.Over("jointVector.fusion", "jfm", "cfa") };
        var grid = new Grid { Id = 9, Name = "g", Family = "jointvector", BaseSpecJson = "{}", AxesJson = JsonSerializer.Serialize(axes, ExperimentSpecJson.Options) };
        var results = new GridResults(grid, [Variant("1, jfm", 0.60), Variant("1, cfa", 0.58), Variant("2, jfm", 0.66), Variant("2, cfa", 0.62), Variant("4, jfm", 0.64), Variant("4, cfa", 0.61)]);
        var chart = Assert.Single(SensitivityChart.For(results));

        var figure = GridFigures.Sensitivity(9, chart, WeightedF1);
        Assert.Equal("grid-9-sensitivity-jointvector-blocks-wf1", figure.Name);
        var (_, text) = ReadSvg(figure, FigureSize.Single);
        foreach (var label in new[] { "jointVector.blocks", "WF1 (%), ± std", "jfm", "cfa" }) Assert.Contains(label, text);
        AssertPng(figure, FigureSize.Single);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
