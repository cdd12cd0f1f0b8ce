using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Worker.Grids;
using ScottPlot;

namespace EmotionLab.Worker.Figures;

/// <summary>A run's figures: training loss per step, a metric per epoch per split, a confusion matrix.</summary>
public static class RunFigures
{
    /// <summary>
    /// Training loss per optimizer step: the raw loss faint, and its exponential moving average
    /// (TensorBoard's smoothing: 0 draws the raw loss only, 0.9 averages over about ten steps), and
    /// the learning rate the step took on the right axis, so a warm-up or a decay lines up with the loss.
    /// </summary>
    public static Figure Loss(long runId, IReadOnlyList<StepLoss> steps, double smoothing)
    {
        if (smoothing is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "smoothing is in [0, 1)");
        var plot = Figure.NewPlot();
        var xs = steps.Select(s => (double)s.Step).ToArray();
        var losses = steps.Select(s => s.Loss).ToArray();
        // SignalXY draws one min/max stroke per pixel column: a 5,000-step run costs what the figure's width does.
        var raw = plot.Add.SignalXY(xs, losses);
        raw.LegendText = "loss";
        raw.LineWidth = 1;
        if (smoothing > 0)
        {
            var color = raw.LineColor;
            raw.LineColor = color.WithAlpha(0.3);
            var smoothed = plot.Add.SignalXY(xs, MovingAverage(losses, smoothing), color);
            smoothed.LegendText = $"smoothed ({smoothing:0.##})";
            smoothed.LineWidth = 1.5f;
        }
        var rate = plot.Add.SignalXY(xs, steps.Select(s => s.LearningRate).ToArray(), Colors.Gray);
        rate.Axes.YAxis = plot.Axes.Right;
        rate.LegendText = "learning rate";
        rate.LineWidth = 1;
        rate.LinePattern = LinePattern.Dashed;
        plot.Axes.Right.Label.Text = "learning rate";
        plot.Axes.Right.Label.FontSize = plot.Axes.Left.Label.FontSize;
        plot.Axes.Right.TickLabelStyle.FontSize = plot.Axes.Left.TickLabelStyle.FontSize;
        // A constant rate would sit on the axis' edge: give it room above and below.
        var (low, high) = (steps.Min(s => s.LearningRate), steps.Max(s => s.LearningRate));
        plot.Axes.SetLimitsY(low == high ? low * 0.5 : low - 0.05 * (high - low), low == high ? high * 1.5 + 1e-12 : high + 0.05 * (high - low), plot.Axes.Right);
        plot.XLabel("step");
        plot.YLabel("training loss");
        plot.ShowLegend(Alignment.UpperRight);
        return new Figure(plot, $"run-{runId}-loss");
    }

    /// <summary>The metric per epoch, one line per split (train, validation, test), in %.</summary>
    public static Figure Curves(long runId, IReadOnlyList<EpochMetric> epochs, GridTableColumn metric)
    {
        var plot = Figure.NewPlot();
        foreach (var split in epochs.Select(e => e.Split).Distinct().OrderBy(SplitOrder))
        {
            var points = epochs.Where(e => e.Split == split).OrderBy(e => e.Epoch).ToList();
            var line = plot.Add.Scatter(points.Select(e => (double)e.Epoch).ToArray(), points.Select(e => 100 * ValueOf(e, metric.Metric)).ToArray());
            line.LegendText = split;
            line.MarkerSize = 4;
        }
        plot.XLabel("epoch");
        plot.YLabel($"{metric.Header} (%)");
        plot.ShowLegend(Alignment.LowerRight);
        return new Figure(plot, $"run-{runId}-curves-{metric.CsvPrefix}");
    }

    /// <summary>A run's confusion matrix at one split and epoch: counts, or each row as fractions of its true label.</summary>
    public static Figure Matrix(long runId, ConfusionMatrixRow matrix, bool normalised) =>
        ConfusionMatrixFigure.Draw(matrix.Labels, normalised ? ConfusionMatrixFigure.RowNormalised(matrix.Counts, matrix.Labels.Length) : matrix.Counts.Select(c => (double)c).ToArray(),
            normalised, $"{matrix.Split}, epoch {matrix.Epoch}{(normalised ? ", row-normalised" : "")}",
            $"run-{runId}-matrix-{matrix.Split}-epoch-{matrix.Epoch}{(normalised ? "-normalised" : "")}");

    /// <summary>TensorBoard's debiased exponential moving average.</summary>
    public static double[] MovingAverage(IReadOnlyList<double> values, double smoothing)
    {
        var result = new double[values.Count];
        double last = 0, weight = 0;
        for (var i = 0; i < values.Count; i++)
        {
            last = last * smoothing + (1 - smoothing) * values[i];
            weight = weight * smoothing + (1 - smoothing);
            result[i] = last / weight;
        }
        return result;
    }

    public static double ValueOf(EpochMetric epoch, GridMetric metric) => metric switch
    {
        GridMetric.WA => epoch.WA,
        GridMetric.UA => epoch.UA,
        GridMetric.WeightedF1 => epoch.WeightedF1,
        GridMetric.MacroF1 => epoch.MacroF1,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    private static int SplitOrder(string split) => split switch { "train" => 0, "validation" => 1, "test" => 2, _ => 3 };
}
