using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Tests.Experiments;

/// <summary>Means, sample std, standard errors, t confidence intervals and t-tests against SciPy (tools/make_statistics_fixtures.py).</summary>
public sealed class SeedStatisticsTests
{
    private static readonly JsonFixtureCases Cases = new("statistics", "scipy.json");

    public static TheoryData<string> CaseNames() => new(Cases.Names);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Statistics_match_scipy(string name)
    {
        var c = Cases[name];
        var (a, b) = (JsonFixtureCases.Doubles(c, "a"), JsonFixtureCases.Doubles(c, "b"));
        var (sa, sb) = (SeedSummary.Of(a), SeedSummary.Of(b));
        Assert.Equal(c.GetProperty("mean_a").GetDouble(), sa.Mean, 12);
        Assert.Equal(c.GetProperty("std_a").GetDouble(), sa.Std, 12);
        Assert.Equal(c.GetProperty("mean_b").GetDouble(), sb.Mean, 12);
        Assert.Equal(c.GetProperty("std_b").GetDouble(), sb.Std, 12);
        Assert.Equal(c.GetProperty("sem_a").GetDouble(), sa.StandardError, 12);
        var ci = JsonFixtureCases.Doubles(c, "ci95_a");
        Assert.Equal(ci[0], sa.Mean - sa.ConfidenceHalfWidth(), 10);
        Assert.Equal(ci[1], sa.Mean + sa.ConfidenceHalfWidth(), 10);

        var welch = SeedStatistics.Welch(a, b);
        Assert.Equal(c.GetProperty("welch_t").GetDouble(), welch.T, 9);
        AssertRelative(c.GetProperty("welch_p").GetDouble(), welch.P);
        if (c.TryGetProperty("paired_p", out var pairedP))
        {
            var paired = SeedStatistics.Paired(a, b);
            Assert.Equal(c.GetProperty("paired_t").GetDouble(), paired.T, 9);
            AssertRelative(pairedP.GetDouble(), paired.P);
        }
    }

    [Fact]
    public void Undefined_tests_give_nan_not_a_number_that_looks_real()
    {
        Assert.True(double.IsNaN(SeedStatistics.Welch([0.5], [0.4, 0.45]).P));
        Assert.True(double.IsNaN(SeedStatistics.Welch([0.5, 0.5], [0.4, 0.4]).P));
        Assert.True(double.IsNaN(SeedSummary.Of([0.5]).Std));
        Assert.Throws<ArgumentException>(() => SeedStatistics.Paired([0.1, 0.2], [0.3]));
    }

    private static void AssertRelative(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-9 * Math.Max(1e-300, Math.Abs(expected)) + 1e-15, $"p = {actual:R}, SciPy gives {expected:R}");
}
