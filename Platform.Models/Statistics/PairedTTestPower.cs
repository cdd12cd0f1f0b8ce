using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace EmotionLab.Models.Statistics;

/// <summary>
/// The power of a two-sided paired t-test over seeds, and how many seeds it needs to detect an
/// observed difference: with effect d / s (the paired differences' mean over their sample std)
/// and n seeds, the statistic is noncentral t with n - 1 degrees of freedom and noncentrality
/// (d / s) sqrt(n); power is its mass beyond the critical values (statsmodels' TTestPower).
/// </summary>
public static class PairedTTestPower
{
    public const double Alpha = 0.05;
    public const double TargetPower = 0.8;

    public static double Power(double effectSize, int seeds, double alpha = Alpha)
    {
        if (seeds < 2) throw new ArgumentOutOfRangeException(nameof(seeds), seeds, "a paired t-test needs at least two seeds");
        var df = seeds - 1.0;
        var critical = StudentT.InvCDF(0, 1, df, 1 - alpha / 2);
        var noncentrality = Math.Abs(effectSize) * Math.Sqrt(seeds);
        return 1 - NoncentralTCdf(critical, df, noncentrality) + NoncentralTCdf(-critical, df, noncentrality);
    }

    /// <summary>
    /// The fewest seeds (2 or more) whose power reaches <paramref name="power"/> for the observed
    /// paired differences, or null when no difference was seen (mean 0) or more than
    /// <paramref name="most"/> seeds would be needed; with no spread (std 0) two seeds suffice.
    /// </summary>
    public static int? SeedsNeeded(double meanDifference, double stdDifference, double alpha = Alpha, double power = TargetPower, int most = 1000)
    {
        if (meanDifference == 0 || double.IsNaN(meanDifference)) return null;
        if (stdDifference == 0) return 2;
        var effect = meanDifference / stdDifference;
        // Power grows with the seeds at a fixed effect size, so the fewest is found by bisection:
        // about ten power evaluations (each a 1024-point integral twice) instead of up to `most`.
        if (Power(effect, most, alpha) < power) return null;
        var (low, high) = (2, most); // Power(high) reaches it; the answer is in [low, high]
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (Power(effect, middle, alpha) >= power) high = middle;
            else low = middle + 1;
        }
        return low;
    }

    /// <summary>
    /// P(T ≤ t) for T = (Z + δ) / S, S = sqrt(chi²_df / df): the expectation over S of Φ(t S − δ),
    /// integrated by Gauss–Legendre over where S's density lives (mean about 1, spread 1 / sqrt(2 df)).
    /// </summary>
    public static double NoncentralTCdf(double t, double df, double noncentrality)
    {
        var spread = 1 / Math.Sqrt(2 * df);
        var (low, high) = (Math.Max(0, 1 - 14 * spread), 1 + 14 * spread + (df < 4 ? 6 : 0));
        // S's density: 2 df s f_chi²(df s²; df), written through logs to stay finite for large df.
        double Density(double s) => s <= 0 ? 0 : Math.Exp(Math.Log(2 * df * s) + ChiSquared.PDFLn(df, df * s * s));
        return Integrate.GaussLegendre(s => Normal.CDF(0, 1, t * s - noncentrality) * Density(s), low, high, order: 1024);
    }
}
