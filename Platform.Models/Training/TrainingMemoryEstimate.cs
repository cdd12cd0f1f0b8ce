using System.Globalization;

namespace EmotionLab.Models.Training;

/// <summary>
/// What a run holds in memory before its activations: every weight as float32 (the engine keeps
/// float32 weights; bf16 runs the matmuls under autocast over them, so it does not shrink them),
/// and for each trainable weight its gradient and AdamW's two moments (12 bytes more).
/// </summary>
public sealed record TrainingMemoryEstimate(long FrozenParameters, long TrainableParameters)
{
    public long Bytes => FrozenParameters * 4 + TrainableParameters * 16;

    public static string GiB(long bytes) => (bytes / (double)(1L << 30)).ToString("F1", CultureInfo.InvariantCulture) + " GiB";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"about {GiB(Bytes)} before activations ({FrozenParameters + TrainableParameters:N0} parameters as float32, {TrainableParameters:N0} of them trained with gradients and AdamW moments)");
}
