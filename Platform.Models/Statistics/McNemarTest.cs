using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace EmotionLab.Models.Statistics;

/// <summary>
/// Two systems on the same test utterances: how many both got right, only A, only B, neither,
/// and McNemar's exact two-sided p-value (the binomial test of the discordant pairs at 1/2).
/// </summary>
public sealed record McNemarResult(int BothRight, int OnlyA, int OnlyB, int BothWrong, double P)
{
    public int Discordant => OnlyA + OnlyB;
}

/// <summary>
/// McNemar's exact test, as statsmodels' mcnemar(exact=True) and SciPy's binomtest compute it,
/// and Fisher's method for one p-value over seeds. Fisher's method treats the seeds' tests as
/// independent; they share the test set, so the combined p is optimistic where the seeds' errors
/// are alike: the per-seed p-values are always reported beside it.
/// </summary>
public static class McNemarTest
{
    /// <param name="aCorrect">per test utterance, whether system A predicted its label</param>
    /// <param name="bCorrect">the same utterances, in the same order, for system B</param>
    public static McNemarResult Exact(IReadOnlyList<bool> aCorrect, IReadOnlyList<bool> bCorrect)
    {
        if (aCorrect.Count != bCorrect.Count)
            throw new ArgumentException($"paired predictions need the same utterances: {aCorrect.Count} against {bCorrect.Count}");
        int both = 0, onlyA = 0, onlyB = 0, neither = 0;
        for (var i = 0; i < aCorrect.Count; i++)
        {
            if (aCorrect[i] && bCorrect[i]) both++;
            else if (aCorrect[i]) onlyA++;
            else if (bCorrect[i]) onlyB++;
            else neither++;
        }
        var n = onlyA + onlyB;
        // Two-sided: twice the smaller tail of Binomial(n, 1/2), at most 1 (no discordant pair: 1).
        var p = n == 0 ? 1.0 : Math.Min(1.0, 2 * Binomial.CDF(0.5, n, Math.Min(onlyA, onlyB)));
        return new McNemarResult(both, onlyA, onlyB, neither, p);
    }

    /// <summary>
    /// Fisher's method: -2 sum ln p against chi-squared with 2k degrees of freedom (SciPy's
    /// combine_pvalues), from the upper tail itself, Q(k, statistic / 2), so a tiny p stays tiny
    /// instead of becoming 1 - CDF = 0.
    /// </summary>
    public static double FisherCombined(IReadOnlyList<double> pValues)
    {
        if (pValues.Count == 0) throw new ArgumentException("no p-values to combine", nameof(pValues));
        if (pValues.Any(p => p == 0)) return 0;
        var statistic = -2 * pValues.Sum(Math.Log);
        return SpecialFunctions.GammaUpperRegularized(pValues.Count, statistic / 2);
    }
}
