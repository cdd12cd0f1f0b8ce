using EmotionLab.Data.Entities;

namespace EmotionLab.Worker.Tests;

/// <summary>The chance level a trained model must beat: always predicting the most frequent class.</summary>
public static class MajorityClass
{
    /// <summary>Weighted F1 of the majority predictor on the split a stored matrix scores (from its row sums).</summary>
    public static double WeightedF1(ConfusionMatrixRow matrix)
    {
        var size = matrix.Labels.Length;
        var support = Enumerable.Range(0, size).Select(t => Enumerable.Range(0, size).Sum(p => matrix.Counts[t * size + p])).ToArray();
        // Its class has precision = its share and recall 1; the other classes score 0.
        var share = (double)support.Max() / support.Sum();
        return share * (2 * share / (1 + share));
    }
}
