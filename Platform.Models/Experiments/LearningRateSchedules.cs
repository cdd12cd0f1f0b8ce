namespace EmotionLab.Models.Experiments;

/// <summary>
/// How a spec's learning rate moves over its optimizer steps: constant; warmup-cosine (linear
/// warm-up from 0 over the first <see cref="ExperimentSpec.WarmupFraction"/> of the planned steps,
/// then cosine decay to 0 at the last planned step, as EAA trains and Hugging Face's cosine
/// schedule does); or step (multiplied by <see cref="ExperimentSpec.DecayFactor"/> every
/// <see cref="ExperimentSpec.DecayEveryEpochs"/> epochs). Planned steps are the spec's epochs
/// times the optimizer steps per epoch: early stopping ends a run before its decay is done.
/// </summary>
public static class LearningRateSchedules
{
    public const string Constant = "constant";
    public const string WarmupCosine = "warmup-cosine";
    public const string Step = "step";

    public static IReadOnlyList<string> All { get; } = [Constant, WarmupCosine, Step];
}
