using System.Globalization;
using System.Text.Json;
using EmotionLab.Data.Queries;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// A metric against one numeric axis of a grid, with error bars (the joint-vector paper's Fig. 3:
/// accuracy over N blocks, over joint-vector length). One line per combination of the grid's other
/// axes; each point is a variant's mean ± sample std over its scored seeds.
/// </summary>
public sealed record SensitivityChart(string Axis, IReadOnlyList<SensitivityLine> Lines)
{
    /// <summary>A chart for every axis whose values are all numbers; none when variant names do not split into the axes' labels.</summary>
    public static IReadOnlyList<SensitivityChart> For(GridResults results)
    {
        List<GridAxis> axes;
        try
        {
            axes = JsonSerializer.Deserialize<List<GridAxis>>(results.Grid.AxesJson, ExperimentSpecJson.Options) ?? [];
        }
        catch (JsonException)
        {
            return []; // axes stored in a shape this version does not read: the table still shows
        }
        var labelled = results.Variants
            .Select(v => (Variant: v, Labels: v.Variant.Split(", ")))
            .Where(v => v.Labels.Length == axes.Count)
            .ToList();
        if (axes.Count == 0 || labelled.Count != results.Variants.Count) return [];

        var charts = new List<SensitivityChart>();
        for (var a = 0; a < axes.Count; a++)
        {
            if (axes[a].Values.Count < 2 || !axes[a].Values.All(v => Number(v.Label) is not null)) continue;
            var axis = a;
            var lines = labelled
                .GroupBy(v => string.Join(", ", v.Labels.Where((_, i) => i != axis)))
                .Select(g => new SensitivityLine(g.Key.Length == 0 ? axes[axis].Name : g.Key,
                    g.Select(v => new SensitivityPoint(Number(v.Labels[axis])!.Value, v.Variant.Variant, v.Variant.N,
                            v.Variant.Metrics.ToDictionary(m => m.Key.ToString(), m => new MeanStd(m.Value.Mean, m.Value.Std))))
                        .OrderBy(p => p.X).ToList()))
                .ToList();
            charts.Add(new SensitivityChart(axes[axis].Name, lines));
        }
        return charts;
    }

    private static double? Number(string label) =>
        double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null;
}

public sealed record SensitivityLine(string Name, IReadOnlyList<SensitivityPoint> Points);

/// <param name="Metrics">by GridMetric name: mean and sample std over seeds (std null with fewer than two seeds)</param>
public sealed record SensitivityPoint(double X, string Variant, int N, IReadOnlyDictionary<string, MeanStd> Metrics);

public sealed record MeanStd(double? Mean, double? Std);
