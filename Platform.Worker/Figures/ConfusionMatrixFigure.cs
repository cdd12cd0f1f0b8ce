using System.Globalization;
using ScottPlot;

namespace EmotionLab.Worker.Figures;

/// <summary>
/// A confusion matrix, true labels down, predictions across, each cell shaded by the share of its
/// row: a run's counts, its row-normalised fractions, or a variant's mean of those. Cells are
/// rectangles, so the SVG stays sharp at any size.
/// </summary>
public static class ConfusionMatrixFigure
{
    /// <param name="values">row-major, rows true labels: counts, or fractions of each row when <paramref name="normalised"/></param>
    public static Figure Draw(IReadOnlyList<string> labels, IReadOnlyList<double> values, bool normalised, string title, string name)
    {
        var plot = Figure.NewPlot();
        var n = labels.Count;
        AddCells(plot, values, n, normalised, left: 0, fontSize: n > 6 ? 8 : 10);
        var ticks = Enumerable.Range(0, n).Select(i => (Position: i + 0.5, Label: labels[i])).ToList();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(t => new Tick(t.Position, t.Label)).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(t => new Tick(n - t.Position, t.Label)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = n > 4 ? -45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = n > 4 ? Alignment.MiddleRight : Alignment.UpperCenter;
        // ScottPlot measures rotated tick labels as if level: leave room for the longest one at 45°, below it the axis label.
        if (n > 4) plot.Axes.Bottom.MinimumSize = 24 + labels.Max(l => l.Length) * 4.5f;
        plot.Axes.SetLimits(0, n, 0, n);
        plot.HideGrid();
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.Axes.Title.Label.Text = title;
        // The title centres on the cells, which the label column pushes right: a smaller title stays inside one column's width.
        plot.Axes.Title.Label.FontSize = 10;
        return new Figure(plot, name);
    }

    /// <summary>
    /// The n x n cells of a matrix, from x = left, row 0 at the top: each a rectangle shaded by its
    /// share of the row, with its value written in it (counts, or fractions when normalised).
    /// </summary>
    public static void AddCells(Plot plot, IReadOnlyList<double> values, int n, bool normalised, double left, float fontSize)
    {
        var colormap = new ScottPlot.Colormaps.Blues();
        for (var t = 0; t < n; t++)
        {
            var rowTotal = Enumerable.Range(0, n).Sum(p => values[t * n + p]);
            for (var p = 0; p < n; p++)
            {
                var value = values[t * n + p];
                var fraction = normalised ? value : rowTotal == 0 ? 0 : value / rowTotal;
                // Row t sits at the top for t = 0: y runs from n (top) down to 0.
                var cell = plot.Add.Rectangle(left + p, left + p + 1, n - t - 1, n - t);
                cell.FillColor = colormap.GetColor(1 - fraction); // ScottPlot's Blues runs from dark to light
                cell.LineWidth = 0;
                var text = plot.Add.Text(value.ToString(normalised ? "0.00" : "0", CultureInfo.InvariantCulture), left + p + 0.5, n - t - 0.5);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = fontSize;
                text.LabelFontColor = fraction > 0.5 ? Colors.White : Colors.Black;
            }
        }
    }

    /// <summary>Each row of a row-major count matrix as fractions of its sum (a row without true examples stays zeros).</summary>
    public static double[] RowNormalised(IReadOnlyList<int> counts, int n)
    {
        var fractions = new double[n * n];
        for (var t = 0; t < n; t++)
        {
            var support = Enumerable.Range(0, n).Sum(p => counts[t * n + p]);
            for (var p = 0; p < n; p++) fractions[t * n + p] = support == 0 ? 0 : (double)counts[t * n + p] / support;
        }
        return fractions;
    }
}
