using EmotionLab.Models.Training;

namespace EmotionLab.Models.Tests.Training;

/// <summary>Scores against scikit-learn's (tools/make_metric_fixtures.py).</summary>
public sealed class ConfusionMatrixTests
{
    private static readonly JsonFixtureCases Cases = new("metrics", "sklearn.json");

    public static TheoryData<string> CaseNames() => new(Cases.Names);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Scores_match_scikit_learn(string name)
    {
        var expected = Cases[name];
        var classes = expected.GetProperty("classes").GetInt32();
        var matrix = new ConfusionMatrix(Enumerable.Range(0, classes).Select(i => $"class{i}").ToArray());
        matrix.Add(JsonFixtureCases.Longs(expected, "y_true"), JsonFixtureCases.Longs(expected, "y_pred"));

        var rows = expected.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        for (var t = 0; t < classes; t++)
        for (var p = 0; p < classes; p++)
            Assert.Equal(rows[t][p], matrix[t, p]);

        var scores = matrix.Scores();
        Assert.Equal(expected.GetProperty("wa").GetDouble(), scores.WA, 12);
        Assert.Equal(expected.GetProperty("ua").GetDouble(), scores.UA, 12);
        Assert.Equal(expected.GetProperty("weighted_f1").GetDouble(), scores.WeightedF1, 12);
        Assert.Equal(expected.GetProperty("macro_f1").GetDouble(), scores.MacroF1, 12);
        AssertAll(JsonFixtureCases.Doubles(expected, "precision"), scores.Precision);
        AssertAll(JsonFixtureCases.Doubles(expected, "recall"), scores.Recall);
        AssertAll(JsonFixtureCases.Doubles(expected, "f1"), scores.F1);
        Assert.Equal(JsonFixtureCases.Longs(expected, "support"), Enumerable.Range(0, classes).Select(c => matrix.Support(c)).ToArray());
    }

    [Fact]
    public void Out_of_range_labels_are_refused()
    {
        var matrix = new ConfusionMatrix(["neutral", "joy"]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(0, 2));
        Assert.Contains("label indexes must be in 0..1, got truth 0, prediction 2", e.Message);
    }

    private static void AssertAll(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }
}
