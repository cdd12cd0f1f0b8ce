using System.Text.Json;
using EmotionLab.Models.Statistics;

namespace EmotionLab.Models.Tests.Statistics;

/// <summary>
/// McNemar, Fisher's combination, Holm, the paired t-test's power and seeds needed, and bootstrap
/// intervals against SciPy, statsmodels and scikit-learn (tools/make_prediction_statistics_fixtures.py).
/// </summary>
public sealed class PredictionStatisticsTests
{
    private static readonly JsonElement Fixture = Load();

    private static JsonElement Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "statistics", "predictions.json")));
        return document.RootElement.Clone();
    }

    private static IEnumerable<JsonElement> Section(string name) => Fixture.GetProperty(name).EnumerateArray();

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static void AssertClose(double expected, double actual, double relative = 1e-9, string? what = null) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1e-300, Math.Abs(expected)) || Math.Abs(expected - actual) < 1e-15,
            $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void McNemar_exact_matches_statsmodels()
    {
        foreach (var c in Section("mcnemar"))
        {
            var (a, b) = (c.GetProperty("a").EnumerateArray().Select(v => v.GetInt32() == 1).ToArray(), c.GetProperty("b").EnumerateArray().Select(v => v.GetInt32() == 1).ToArray());
            var result = McNemarTest.Exact(a, b);
            var table = c.GetProperty("table").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
            Assert.Equal((table[0][0], table[0][1], table[1][0], table[1][1]), (result.BothRight, result.OnlyA, result.OnlyB, result.BothWrong));
            AssertClose(c.GetProperty("p").GetDouble(), result.P, what: c.GetProperty("name").GetString());
        }
    }

    [Fact]
    public void Fisher_combination_and_holm_match_scipy_and_statsmodels()
    {
        foreach (var c in Section("fisher"))
        {
            var expected = c.GetProperty("combined").GetDouble();
            var combined = McNemarTest.FisherCombined(Doubles(c.GetProperty("p")));
            AssertClose(expected, combined, what: "Fisher");
            // Relative even far below 1e-15, where the absolute tolerance would let 0 pass for 1e-24.
            Assert.True(Math.Abs(expected - combined) <= 1e-9 * expected, $"Fisher: expected {expected:R}, got {combined:R}");
        }
        foreach (var c in Section("holm"))
        {
            var expected = Doubles(c.GetProperty("adjusted"));
            var actual = HolmAdjustment.Adjust(Doubles(c.GetProperty("p")));
            for (var i = 0; i < expected.Length; i++) AssertClose(expected[i], actual[i], what: $"Holm {i}");
        }
        // An undefined comparison stays undefined and does not count among the tests.
        Assert.Equal([0.02, double.NaN, 0.04], HolmAdjustment.Adjust([0.01, double.NaN, 0.04]));
    }

    [Fact]
    public void Power_and_seeds_needed_match_statsmodels()
    {
        foreach (var c in Section("power"))
        {
            var effect = c.GetProperty("effect").GetDouble();
            foreach (var n in c.GetProperty("power").EnumerateObject())
                AssertClose(n.Value.GetDouble(), PairedTTestPower.Power(effect, int.Parse(n.Name)), relative: 1e-7, what: $"power at effect {effect}, {n.Name} seeds");
            // Seeds needed from a mean difference and a std whose ratio is the effect.
            Assert.Equal(c.GetProperty("seeds_needed").GetInt32(), PairedTTestPower.SeedsNeeded(0.012 * effect, 0.012));
        }
        Assert.Null(PairedTTestPower.SeedsNeeded(0, 0.01));
        Assert.Null(PairedTTestPower.SeedsNeeded(0.0001, 0.05)); // beyond 1,000 seeds
        Assert.Equal(2, PairedTTestPower.SeedsNeeded(0.01, 0));
    }

    [Fact]
    public void Bootstrap_intervals_draw_the_same_resamples_and_match_sklearn_scores()
    {
        foreach (var c in Section("bootstrap"))
        {
            var classes = c.GetProperty("classes").GetInt32();
            var truth = c.GetProperty("truth").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            var predictions = c.GetProperty("predictions").EnumerateArray().Select(p => (IReadOnlyList<long>)p.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
            var intervals = BootstrapInterval.Percentile(Enumerable.Range(0, classes).Select(i => $"c{i}").ToArray(), truth, predictions,
                c.GetProperty("resamples").GetInt32(), c.GetProperty("seed").GetUInt64(), c.GetProperty("level").GetDouble());
            var expected = c.GetProperty("intervals");
            foreach (var (metric, interval) in new[] { ("wa", intervals.WA), ("ua", intervals.UA), ("weighted_f1", intervals.WeightedF1), ("macro_f1", intervals.MacroF1) })
            {
                var bounds = Doubles(expected.GetProperty(metric));
                AssertClose(bounds[0], interval.Low, 1e-12, $"{c.GetProperty("name").GetString()} {metric} low");
                AssertClose(bounds[1], interval.High, 1e-12, $"{c.GetProperty("name").GetString()} {metric} high");
            }
        }
    }

    [Fact]
    public void A_different_seed_draws_other_resamples()
    {
        long[] truth = [0, 1, 2, 0, 1, 2, 0, 0, 1, 2, 2, 1, 0, 1];
        long[] predicted = [0, 1, 1, 0, 2, 2, 0, 1, 1, 2, 0, 1, 0, 0];
        var (a, b) = (BootstrapInterval.Percentile(["x", "y", "z"], truth, [predicted], seed: 1), BootstrapInterval.Percentile(["x", "y", "z"], truth, [predicted], seed: 2));
        Assert.Equal(a, BootstrapInterval.Percentile(["x", "y", "z"], truth, [predicted], seed: 1));
        Assert.NotEqual(a.WeightedF1, b.WeightedF1);
    }
}
