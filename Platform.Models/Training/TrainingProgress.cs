using System.Globalization;
using System.Text.Json;

namespace EmotionLab.Models.Training;

/// <summary>
/// What a run must remember across a restart besides the weights: the last completed epoch, the
/// step count, and the early-stopping state with the best epoch's evaluations. It travels in the
/// checkpoint's metadata as JSON (doubles round-trip exactly).
/// </summary>
public sealed record TrainingProgress(int Epoch, long Step, int BestEpoch, double BestValidationWeightedF1, int EpochsWithoutImprovement,
    SplitEvaluation? BestValidation, SplitEvaluation? TestAtBestEpoch)
{
    public const string MetadataKey = "progress";
    public const string SpecHashKey = "specHash";

    /// <summary>Before the first epoch; -1 is below any weighted F1, so epoch 1 is always the best so far.</summary>
    public static TrainingProgress Start { get; } = new(0, 0, 0, -1, 0, null, null);

    public Dictionary<string, string> ToMetadata(string specHash) => new()
    {
        [MetadataKey] = JsonSerializer.Serialize(this),
        [SpecHashKey] = specHash,
        ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
        ["step"] = Step.ToString(CultureInfo.InvariantCulture),
    };

    public static TrainingProgress FromMetadata(IReadOnlyDictionary<string, string> metadata, string checkpointFolder) =>
        metadata.TryGetValue(MetadataKey, out var json) && JsonSerializer.Deserialize<TrainingProgress>(json) is { } progress
            ? progress
            : throw new InvalidDataException($"checkpoint {checkpointFolder} has no '{MetadataKey}' metadata: it was not written by the trainer");
}
