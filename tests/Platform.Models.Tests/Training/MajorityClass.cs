using EmotionLab.Models.Training;

namespace EmotionLab.Models.Tests.Training;

/// <summary>The chance level a trained model must beat: the train split's most frequent class, predicted for every test item.</summary>
public static class MajorityClass
{
    /// <returns>the class index and the test weighted F1 of always predicting it</returns>
    public static (long Class, double WeightedF1) Score(IReadOnlyList<string> labels, IEnumerable<long> trainTargets, long[] testTargets)
    {
        var majority = trainTargets.GroupBy(t => t).MaxBy(g => g.Count())!.Key;
        var matrix = new ConfusionMatrix(labels);
        matrix.Add(testTargets, Enumerable.Repeat(majority, testTargets.Length).ToArray());
        return (majority, matrix.WeightedF1());
    }
}
