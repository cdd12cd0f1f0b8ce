namespace EmotionLab.Models.Training;

/// <summary>
/// Reports one stage of a run that trains in stages (EmoQ's stage 1, then stage 2) to the run's
/// sink: the stage's epochs and steps are numbered after those of the stages before it, so the
/// run's curves and log continue across stages, and only the last stage's end is the run's end.
/// </summary>
/// <param name="epochOffset">epochs the run reported in earlier stages</param>
/// <param name="stepOffset">optimizer steps the run reported in earlier stages</param>
/// <param name="lastStage">whether this stage's end finishes the run</param>
public sealed class TrainingStageSink(ITrainingSink run, int epochOffset, long stepOffset, bool lastStage) : ITrainingSink
{
    public void RunStarted(RunStart start) =>
        run.RunStarted(start with { ResumedAfterEpoch = start.ResumedAfterEpoch + epochOffset });

    public void StepCompleted(TrainingStep step) => run.StepCompleted(step with { Epoch = step.Epoch + epochOffset, Step = step.Step + stepOffset });

    public void EpochCompleted(EpochResult epoch) =>
        run.EpochCompleted(epoch with { Epoch = epoch.Epoch + epochOffset, Step = epoch.Step + stepOffset, BestEpoch = epoch.BestEpoch + epochOffset });

    public void RunFinished(TrainingOutcome outcome)
    {
        if (lastStage) run.RunFinished(Shift(outcome));
    }

    /// <summary>A stage's outcome in the run's numbering.</summary>
    public TrainingOutcome Shift(TrainingOutcome outcome) => outcome with
    {
        EpochsCompleted = outcome.EpochsCompleted + epochOffset,
        Steps = outcome.Steps + stepOffset,
        BestEpoch = outcome.BestEpoch + epochOffset,
    };
}
