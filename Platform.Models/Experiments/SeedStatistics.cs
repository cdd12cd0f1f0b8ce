using MathNet.Numerics.Distributions;

namespace EmotionLab.Models.Experiments;

/// <summary>A metric over the seeds of one variant: n, mean and sample standard deviation (n - 1).</summary>
public sealed record SeedSummary(int N, double Mean, double Std)
{
    public static SeedSummary Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values to summarise", nameof(values));
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : double.NaN;
        return new SeedSummary(values.Count, mean, std);
    }

    /// <summary>The standard error of the mean, std / sqrt(n) (SciPy's stats.sem); NaN with fewer than two values.</summary>
    public double StandardError => Std / Math.Sqrt(N);

    /// <summary>
    /// Half the width of the two-sided confidence interval of the mean at <paramref name="level"/>
    /// from Student's t with n - 1 degrees of freedom (SciPy's stats.t.interval); NaN with fewer than two values.
    /// </summary>
    public double ConfidenceHalfWidth(double level = 0.95) =>
        N < 2 ? double.NaN : StudentT.InvCDF(0, 1, N - 1, 0.5 + level / 2) * StandardError;
}

/// <summary>A two-sided t-test result; P is NaN when the test is undefined (fewer than two values, or no variance).</summary>
public sealed record TTestResult(double T, double DegreesOfFreedom, double P);

/// <summary>
/// Significance of a variant against the reference over seeds: Welch's t-test (unequal
/// variances) in general, the paired t-test when both were run with the same seeds. Both are
/// two-sided and match SciPy's ttest_ind(equal_var=False) and ttest_rel.
/// </summary>
public static class SeedStatistics
{
    public static TTestResult Welch(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count < 2 || b.Count < 2) return new TTestResult(double.NaN, double.NaN, double.NaN);
        var (sa, sb) = (SeedSummary.Of(a), SeedSummary.Of(b));
        var (va, vb) = (sa.Std * sa.Std / a.Count, sb.Std * sb.Std / b.Count);
        if (va + vb == 0) return new TTestResult(double.NaN, double.NaN, double.NaN);
        var t = (sa.Mean - sb.Mean) / Math.Sqrt(va + vb);
        // Welch–Satterthwaite degrees of freedom.
        var df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return new TTestResult(t, df, TwoSidedP(t, df));
    }

    /// <summary>The paired t-test; a[i] and b[i] must come from the same seed.</summary>
    public static TTestResult Paired(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"a paired test needs equal counts, got {a.Count} and {b.Count}");
        if (a.Count < 2) return new TTestResult(double.NaN, double.NaN, double.NaN);
        var differences = a.Zip(b, (x, y) => x - y).ToArray();
        var summary = SeedSummary.Of(differences);
        if (summary.Std == 0) return new TTestResult(double.NaN, double.NaN, double.NaN);
        var t = summary.Mean / (summary.Std / Math.Sqrt(differences.Length));
        var df = differences.Length - 1.0;
        return new TTestResult(t, df, TwoSidedP(t, df));
    }

    private static double TwoSidedP(double t, double df) => 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
}
