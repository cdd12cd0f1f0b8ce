using EmotionLab.Models.Training;

namespace EmotionLab.Models.Tests.Training;

/// <summary>Keeps everything a run reports, in order, and lets a test act on a step (e.g. cancel).</summary>
public sealed class RecordingSink(Action<TrainingStep>? onStep = null) : ITrainingSink
{
    public List<RunStart> Starts { get; } = [];
    public List<TrainingStep> Steps { get; } = [];
    public List<EpochResult> Epochs { get; } = [];
    public List<TrainingOutcome> Finished { get; } = [];

    public void RunStarted(RunStart start) => Starts.Add(start);

    public void StepCompleted(TrainingStep step)
    {
        Steps.Add(step);
        onStep?.Invoke(step);
    }

    public void EpochCompleted(EpochResult epoch) => Epochs.Add(epoch);

    public void RunFinished(TrainingOutcome outcome) => Finished.Add(outcome);
}
