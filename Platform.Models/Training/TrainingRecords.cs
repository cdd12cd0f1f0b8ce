using System.Text.Json.Serialization;

namespace EmotionLab.Models.Training;

/// <summary>What a run trains on, reported once when it starts (or resumes).</summary>
/// <param name="ResumedAfterEpoch">the last completed epoch found in a checkpoint; null for a fresh start</param>
public sealed record RunStart(string Run, string SpecHash, IReadOnlyList<string> Labels,
    IReadOnlyDictionary<DataSplit, int> Counts, long ParameterCount, int StepsPerEpoch, int? ResumedAfterEpoch)
{
    /// <summary>
    /// A model that generates its answers, scored on validation before its first step (epoch 0):
    /// what the pretrained LLM answers untuned, and how many of its answers name no label. Null
    /// for other models and for a resumed run.
    /// </summary>
    public SplitEvaluation? BeforeTraining { get; init; }
}

/// <summary>One optimisation step: its epoch (1-based), the global step number (1-based), the batch loss and learning rate.</summary>
public sealed record TrainingStep(int Epoch, long Step, double Loss, double LearningRate);

/// <summary>
/// A split scored at the end of an epoch: mean loss, the scores, and the confusion matrix (truth
/// rows, prediction columns). A model that generates answers also gives its unparsed answers per
/// true label, which the scores count as wrong (<see cref="ConfusionMatrix"/>).
/// </summary>
public sealed record SplitEvaluation(DataSplit Split, int Items, double Loss, ClassificationScores Scores, IReadOnlyList<string> Labels, long[] ConfusionCounts)
{
    /// <summary>Unparsed answers per true label; null when predictions are always labels.</summary>
    public long[]? UnparsedCounts { get; init; }

    /// <summary>All unparsed answers of the split; null when predictions are always labels.</summary>
    [JsonIgnore] public long? Unparsed => UnparsedCounts?.Sum();
}

/// <summary>The end of one epoch: every split's evaluation, whether it is the best so far on validation weighted F1, and its checkpoint.</summary>
public sealed record EpochResult(int Epoch, long Step, IReadOnlyList<SplitEvaluation> Splits, bool IsBest, int BestEpoch, string CheckpointFolder)
{
    public SplitEvaluation this[DataSplit split] => Splits.First(s => s.Split == split);
}

public enum TrainingStatus
{
    /// <summary>Ran every epoch of the spec.</summary>
    Completed,
    /// <summary>Validation weighted F1 did not improve for the spec's patience.</summary>
    EarlyStopped,
    /// <summary>Cancellation was requested; the last epoch checkpoint is where a later run resumes.</summary>
    Canceled,
}

/// <summary>
/// How a run ended. The reported result is the best validation epoch's: its validation and test
/// evaluations (null when no epoch completed).
/// </summary>
public sealed record TrainingOutcome(string Run, TrainingStatus Status, int EpochsCompleted, long Steps, int? BestEpoch,
    SplitEvaluation? BestValidation, SplitEvaluation? TestAtBestEpoch);
