using System.Diagnostics;
using System.Globalization;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Worker.Figures;
using EmotionLab.Worker.Grids;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// `bench figures`: milliseconds to build and render the figures a page shows, on one thread: the
/// loss curve of a 5,000-step run (SVG for the page, PNG at 300 dpi for a paper), a 7-class
/// confusion matrix and a grid's bars of 10 variants. Each is drawn a few times to warm up, then
/// timed; p50 and p95 over the timed renders.
/// </summary>
public static class FiguresBenchmark
{
    public static int Run(int renders, TextWriter output)
    {
        var random = new Random(7);
        var steps = Enumerable.Range(1, 5000)
            .Select(step => new StepLoss { RunId = 1, Step = step, Epoch = 1 + step / 500, Loss = 2.0 / Math.Sqrt(step) + 0.1 * random.NextDouble() }).ToList();
        string[] labels = ["neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"];
        var matrix = new ConfusionMatrixRow
        {
            RunId = 1, Epoch = 9, Split = "test", Labels = labels,
            Counts = Enumerable.Range(0, 49).Select(i => i / 7 == i % 7 ? 60 + random.Next(40) : random.Next(15)).ToArray(),
        };
        var variants = Enumerable.Range(0, 10).Select(v => new VariantResults
        {
            Variant = $"variant {v}", ScoredSeeds = [0, 1, 2],
            Metrics = Enum.GetValues<GridMetric>().ToDictionary(m => m, _ =>
            {
                double[] values = [0.6 + 0.01 * v, 0.61 + 0.01 * v, 0.59 + 0.01 * v];
                return new MetricOverSeeds(values.Average(), 0.01, values);
            }),
        }).ToList();
        var grid = new GridResults(new Grid { Id = 1, Name = "bench", Family = "bcaf", BaseSpecJson = "{}", AxesJson = "[]" }, variants);
        var weightedF1 = GridTableColumn.All.Single(c => c.CsvPrefix == "wf1");

        void Line(string name, Func<byte[]> render)
        {
            for (var i = 0; i < 3; i++) render();
            var times = new List<double>();
            for (var i = 0; i < renders; i++)
            {
                var clock = Stopwatch.StartNew();
                render();
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}.p50: {Statistics.Percentile(times, 50):F1}\n{name}.p95: {Statistics.Percentile(times, 95):F1}"));
        }

        Line("figure_loss_5000_steps_svg_ms", () => RunFigures.Loss(1, steps, 0.9).Render(FigureFormat.Svg, FigureSize.Single));
        Line("figure_loss_5000_steps_png_ms", () => RunFigures.Loss(1, steps, 0.9).Render(FigureFormat.Png, FigureSize.Double));
        Line("figure_matrix_7_classes_svg_ms", () => RunFigures.Matrix(1, matrix, normalised: true).Render(FigureFormat.Svg, FigureSize.Single));
        Line("figure_bars_10_variants_svg_ms", () => GridFigures.Bars(grid, weightedF1, SpreadInterval.Std).Render(FigureFormat.Svg, FigureSize.Double));
        return 0;
    }
}
