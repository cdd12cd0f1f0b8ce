namespace EmotionLab.Models.Training;

/// <summary>
/// What a model predicted for every item of one split: the item's key, the true and predicted
/// class indexes, and the class probabilities (row-major, items x labels). Kept for the best
/// epoch so a researcher can do error analysis on exactly the reported result. A model that
/// generates answers also keeps each answer's text; an unparsed one is predicted
/// <see cref="ConfusionMatrix.Unparsed"/>.
/// </summary>
public sealed record SplitPredictions(DataSplit Split, IReadOnlyList<string> Labels, IReadOnlyList<string> Keys, long[] Truth, long[] Predicted, float[] Probabilities)
{
    /// <summary>Each item's generated answer; null when the model ranks labels instead.</summary>
    public IReadOnlyList<string>? Answers { get; init; }

    public float Probability(int item, int label) => Probabilities[item * Labels.Count + label];
}
