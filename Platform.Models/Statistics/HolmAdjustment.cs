namespace EmotionLab.Models.Statistics;

/// <summary>
/// Holm–Bonferroni step-down adjusted p-values for the comparisons of many variants with one
/// reference (statsmodels' multipletests(method="holm")): the i-th smallest of m p-values is
/// multiplied by m - i + 1, made non-decreasing, and capped at 1. Undefined (NaN) p-values stay
/// NaN and do not count in m.
/// </summary>
public static class HolmAdjustment
{
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var adjusted = pValues.ToArray();
        var order = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ToArray();
        var running = 0.0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            running = Math.Max(running, Math.Min(1.0, (order.Length - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }
}
