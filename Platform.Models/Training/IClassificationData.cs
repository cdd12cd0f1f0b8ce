using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Training;

/// <summary>
/// Prepared data the trainer can batch: per split, a count of items and, for any item indexes,
/// the model's inputs and the class targets (int64, label-set order). Each family supplies one.
/// </summary>
public interface IClassificationData<TBatch>
{
    /// <summary>Class names in index order (the label set's).</summary>
    IReadOnlyList<string> Labels { get; }

    int Count(DataSplit split);

    /// <summary>The utterance key of each item of a split, in item order (for an EPC item, its target's key).</summary>
    IReadOnlyList<string> Keys(DataSplit split);

    /// <summary>The items at <paramref name="indexes"/> (int64, 1-D); tensors belong to the caller's dispose scope.</summary>
    (TBatch Inputs, Tensor Targets) Batch(DataSplit split, Tensor indexes);
}
