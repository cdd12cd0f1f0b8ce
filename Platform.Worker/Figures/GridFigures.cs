using EmotionLab.Data.Queries;
using EmotionLab.Worker.Grids;
using ScottPlot;

namespace EmotionLab.Worker.Figures;

/// <summary>A grid's figures: a metric per variant as bars, and a metric against a numeric axis.</summary>
public static class GridFigures
{
    /// <summary>
    /// One horizontal bar per variant (names stay readable however long): its mean over seeds in %,
    /// with the interval's ± as error bars; a leave-one-fold-out grid shows its per-seed fold means.
    /// Variants without scores are left out.
    /// </summary>
    public static Figure Bars(GridResults results, GridTableColumn metric, SpreadInterval interval)
    {
        var variants = FoldAverage.Apply(results).Results.Variants.Where(v => v.Metrics[metric.Metric].Mean is not null).ToList();
        var plot = Figure.NewPlot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = variants.Select((v, i) =>
        {
            var scores = v.Metrics[metric.Metric];
            return new Bar
            {
                // First variant at the top, as in the table.
                Position = variants.Count - 1 - i,
                Value = 100 * scores.Mean!.Value,
                Error = 100 * (interval.HalfWidth(scores) ?? 0),
                FillColor = palette.GetColor(i),
            };
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            variants.Select((v, i) => new Tick(variants.Count - 1 - i, $"{v.Variant} (n={v.N})")).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0);
        plot.XLabel($"{metric.Header} (%), {interval.Title}");
        return new Figure(plot, $"grid-{results.Grid.Id}-bars-{metric.CsvPrefix}");
    }

    /// <summary>
    /// The metric against a numeric axis of the grid, one line per combination of its other axes,
    /// each point a variant's mean ± sample std over seeds (the joint-vector paper's Fig. 3).
    /// </summary>
    public static Figure Sensitivity(long gridId, SensitivityChart chart, GridTableColumn metric)
    {
        var plot = Figure.NewPlot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < chart.Lines.Count; i++)
        {
            var line = chart.Lines[i];
            var points = line.Points.Where(p => p.Metrics[metric.Metric.ToString()].Mean is not null).ToList();
            var xs = points.Select(p => p.X).ToArray();
            var ys = points.Select(p => 100 * p.Metrics[metric.Metric.ToString()].Mean!.Value).ToArray();
            var errors = points.Select(p => 100 * (p.Metrics[metric.Metric.ToString()].Std ?? 0)).ToArray();
            var color = palette.GetColor(i);
            var scatter = plot.Add.Scatter(xs, ys, color);
            scatter.LegendText = line.Name;
            scatter.MarkerSize = 5;
            var bars = plot.Add.ErrorBar(xs, ys, errors);
            bars.Color = color;
        }
        plot.XLabel(chart.Axis);
        plot.YLabel($"{metric.Header} (%), ± std");
        if (chart.Lines.Count > 1) plot.ShowLegend(Alignment.LowerRight);
        return new Figure(plot, $"grid-{gridId}-sensitivity-{GridTableExport.Slug(chart.Axis)}-{metric.CsvPrefix}");
    }
}
