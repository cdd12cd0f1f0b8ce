using EmotionLab.Data.Queries.Comparison;
using EmotionLab.Worker.Grids;
using ScottPlot;

namespace EmotionLab.Worker.Figures;

/// <summary>
/// The compare page's figures for some runs: their loss curves and validation weighted F1
/// overlaid, each run's test confusion matrix at its best epoch, and per-class F1 as bars grouped
/// by class. Grouped by variant, a variant (an experiment: one spec, its seeds) is drawn as the
/// mean of its runs: a validation curve in a ± one sample std band, the mean of the row-normalised
/// matrices, and bars with ± std error bars; its loss curves stay one per seed, in its colour.
/// A run keeps its colour in every figure, and the page's runs table shows which colour is which.
/// </summary>
public sealed class CompareFigures
{
    public static IReadOnlyList<string> Names { get; } = ["loss", "validation", "matrix", "class-f1"];

    // Category10's ten distinct colours first, then Category20's lighter tones of them: twenty runs, twenty colours.
    private static readonly ScottPlot.Palettes.Category10 Distinct = new();
    private static readonly ScottPlot.Palettes.Category20 Paired = new();

    private readonly IReadOnlyList<ComparedRun> runs;
    private readonly ComparisonCharts charts;
    private readonly bool byVariant;
    private readonly IReadOnlyDictionary<long, string> variantNames;
    private readonly List<long> experiments;

    public CompareFigures(IReadOnlyList<ComparedRun> runs, ComparisonCharts charts, bool byVariant)
    {
        this.runs = runs;
        this.charts = charts;
        this.byVariant = byVariant;
        variantNames = ComparisonNames.Variants(runs);
        experiments = runs.Select(r => r.ExperimentId).Distinct().ToList();
    }

    /// <summary>The colour a run is drawn in: its own, or its variant's when grouped by variant.</summary>
    public Color ColourOf(ComparedRun run) => byVariant ? ColourOfVariant(run.ExperimentId) : Colour(IndexOf(run));

    public Color ColourOfVariant(long experimentId) => Colour(experiments.IndexOf(experimentId));

    private static Color Colour(int index) => (index % 20) < 10 ? Distinct.GetColor(index % 10) : Paired.GetColor(2 * (index % 10) + 1);

    /// <summary>The variants drawn when grouped by variant: those with a best-epoch test matrix, in the order their first run is compared.</summary>
    public IReadOnlyList<VariantMeans> Variants => charts.Variants;

    public string VariantName(long experimentId) => variantNames[experimentId];

    /// <summary>Training loss per step, a line per run (long runs as bucket means); by variant, a legend entry per variant.</summary>
    public (Figure? Figure, string? Problem) Loss()
    {
        var plot = Figure.NewPlot();
        var named = new HashSet<long>();
        foreach (var run in runs)
        {
            var points = charts.Curves.GetValueOrDefault(run.Id)?.Loss ?? [];
            if (points.Count == 0) continue;
            var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), ColourOf(run));
            line.LineWidth = 1.2f;
            line.LegendText = byVariant ? named.Add(run.ExperimentId) ? VariantName(run.ExperimentId) : "" : ComparisonNames.Run(run);
        }
        if (plot.GetPlottables().Any() is false) return (null, "no compared run has recorded a training step");
        plot.XLabel("step");
        plot.YLabel("training loss");
        ShowLegend(plot, Alignment.UpperRight);
        return (new Figure(plot, FileName("loss")), null);
    }

    /// <summary>Validation weighted F1 per epoch, a line per run; by variant, the mean over its seeds in a ± std band.</summary>
    public (Figure? Figure, string? Problem) Validation()
    {
        var plot = Figure.NewPlot();
        if (byVariant)
        {
            foreach (var experimentId in experiments)
            {
                var points = charts.MeanValidationWeightedF1[experimentId].OrderBy(p => p.Epoch).ToList();
                if (points.Count == 0) continue;
                var colour = ColourOfVariant(experimentId);
                var band = points.Where(p => p.Std is not null).ToList();
                if (band.Count > 1)
                {
                    var fill = plot.Add.FillY(band.Select(p => (double)p.Epoch).ToArray(),
                        band.Select(p => 100 * (p.Mean + p.Std!.Value)).ToArray(), band.Select(p => 100 * (p.Mean - p.Std!.Value)).ToArray());
                    fill.FillColor = colour.WithAlpha(0.18);
                    fill.LineWidth = 0;
                }
                var mean = plot.Add.Scatter(points.Select(p => (double)p.Epoch).ToArray(), points.Select(p => 100 * p.Mean).ToArray(), colour);
                mean.LegendText = VariantName(experimentId);
                mean.MarkerSize = 4;
                mean.LineWidth = 1.5f;
            }
        }
        else
        {
            foreach (var run in runs)
            {
                var points = charts.Curves.GetValueOrDefault(run.Id)?.ValidationWeightedF1 ?? [];
                if (points.Count == 0) continue;
                var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => 100 * p.Y).ToArray(), ColourOf(run));
                line.LegendText = ComparisonNames.Run(run);
                line.MarkerSize = 4;
            }
        }
        if (plot.GetPlottables().Any() is false) return (null, "no compared run has finished a validation epoch");
        plot.XLabel("epoch");
        plot.YLabel(byVariant ? "validation WF1 (%), ± std" : "validation WF1 (%)");
        ShowLegend(plot, Alignment.LowerRight);
        return (new Figure(plot, FileName("validation")), null);
    }

    /// <summary>A run's test confusion matrix at its best epoch (counts or row-normalised), or why it has none.</summary>
    public (Figure? Figure, string? Problem) RunMatrix(ComparedRun run, bool normalised)
    {
        if (charts.TestAtBestEpoch.GetValueOrDefault(run.Id) is not { } matrix)
            return (null, $"{ComparisonNames.Run(run)} has no test confusion matrix at a best epoch yet ({run.Status.ToString().ToLowerInvariant()})");
        var values = normalised ? ConfusionMatrixFigure.RowNormalised(matrix.Counts, matrix.Labels.Count) : matrix.Counts.Select(c => (double)c).ToArray();
        return (ConfusionMatrixFigure.Draw(matrix.Labels, values, normalised, $"{ComparisonNames.Run(run)}, epoch {matrix.Epoch}",
            $"compare-matrix-run-{run.Id}{(normalised ? "-normalised" : "")}"), null);
    }

    /// <summary>A variant's mean of its runs' row-normalised test matrices (a mean of counts would weigh the seeds by their test sizes).</summary>
    public Figure VariantMatrix(VariantMeans variant) =>
        ConfusionMatrixFigure.Draw(variant.Labels, variant.MeanRowNormalised, normalised: true,
            $"{VariantName(variant.ExperimentId)}, mean of {variant.N} {(variant.N == 1 ? "seed" : "seeds")}",
            $"compare-matrix-{GridTableExport.Slug(VariantName(variant.ExperimentId))}");

    /// <summary>
    /// Every variant's mean row-normalised test matrix side by side in one figure, each titled with
    /// its name and seeds (a grid's "matrices": the paper's per-variant confusion figure).
    /// </summary>
    public static (Figure? Figure, string? Problem) VariantMatrices(IReadOnlyList<VariantMeans> variants, Func<long, string> nameOf, string name)
    {
        if (variants.Count == 0) return (null, "no variant has a test confusion matrix at a best epoch yet");
        var plot = Figure.NewPlot();
        var bottomTicks = new List<Tick>();
        var leftTicks = new List<Tick>();
        double offset = 0;
        foreach (var variant in variants)
        {
            var labels = variant.Labels;
            var n = labels.Count;
            ConfusionMatrixFigure.AddCells(plot, variant.MeanRowNormalised, n, normalised: true, left: offset, fontSize: 7);
            var title = plot.Add.Text($"{nameOf(variant.ExperimentId)} (n={variant.N})", offset + n / 2.0, n + 0.15);
            title.Alignment = Alignment.LowerCenter;
            title.LabelFontSize = 9;
            bottomTicks.AddRange(labels.Select((label, i) => new Tick(offset + i + 0.5, label)));
            if (offset == 0) leftTicks.AddRange(labels.Select((label, i) => new Tick(n - i - 0.5, label)));
            offset += n + 1; // a column's gap between panels
        }
        var rows = variants.Max(v => v.Labels.Count);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(bottomTicks.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(leftTicks.ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = 8;
        // Four labels a panel read level; more are turned, with room left below them for their length.
        if (rows > 4)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 24 + bottomTicks.Max(t => t.Label.Length) * 4.5f;
        }
        plot.Axes.SetLimits(0, offset - 1, 0, rows + 0.9);
        plot.HideGrid();
        plot.Axes.Frame(false);
        plot.XLabel("predicted (test split, best epoch; rows: mean share of each true label over seeds)");
        plot.YLabel("true");
        return (new Figure(plot, name), null);
    }

    /// <summary>
    /// Per-class F1 on the test split at the best epoch, classes along x and a bar per run (or per
    /// variant, its mean with ± std error bars) in each class's group. Drawn for two columns.
    /// </summary>
    public (Figure? Figure, string? Problem) ClassF1()
    {
        // Every class any matrix has, in the order they first appear.
        var series = byVariant
            ? Variants.Select(v => (Name: VariantName(v.ExperimentId), Colour: ColourOfVariant(v.ExperimentId), v.Labels, F1: v.F1Mean, Std: v.F1Std)).ToList()
            : runs.Where(r => charts.TestAtBestEpoch.ContainsKey(r.Id)).Select(r =>
            {
                var matrix = charts.TestAtBestEpoch[r.Id];
                return (Name: ComparisonNames.Run(r), Colour: ColourOf(r), matrix.Labels, matrix.F1, Std: (IReadOnlyList<double>?)null);
            }).ToList();
        if (series.Count == 0) return (null, "no compared run has a test confusion matrix at a best epoch yet");
        var classes = series.SelectMany(s => s.Labels).Distinct().ToList();
        var plot = Figure.NewPlot();
        // Each class's group spans 0.8 of its unit, a bar per series side by side.
        var width = 0.8 / series.Count;
        for (var i = 0; i < series.Count; i++)
        {
            var (name, colour, labels, f1, std) = series[i];
            var bars = labels.Select((label, k) => new Bar
            {
                Position = classes.IndexOf(label) - 0.4 + width * (i + 0.5),
                Value = f1[k],
                Error = std?[k] ?? 0,
                Size = width * 0.9,
                FillColor = colour,
                ErrorSize = width * 0.3,
            }).ToList();
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = name;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(classes.Select((c, k) => new Tick(k, c)).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(0, 1.05);
        plot.YLabel(byVariant ? "test F1, ± std" : "test F1");
        // Beside the bars, not over them: the tallest bars reach the top.
        if (series.Count <= 8) plot.ShowLegend(Edge.Right);
        return (new Figure(plot, FileName("class-f1")), null);
    }

    private int IndexOf(ComparedRun run)
    {
        for (var i = 0; i < runs.Count; i++)
            if (runs[i].Id == run.Id) return i;
        throw new ArgumentException($"run {run.Id} is not compared here", nameof(run));
    }

    private string FileName(string figure) => $"compare-{figure}{(byVariant ? "-variants" : "")}";

    // Up to eight entries the legend reads; more would cover the lines, and the runs table names every colour.
    private static void ShowLegend(Plot plot, Alignment alignment)
    {
        var entries = plot.GetPlottables().OfType<IHasLegendText>().Count(p => p.LegendText.Length > 0);
        if (entries is > 0 and <= 8) plot.ShowLegend(alignment);
    }
}
