namespace EmotionLab.Models.Training;

/// <summary>
/// Where a run's progress goes as it happens (the database, a console, a test's list). Called on
/// the training thread, in order: RunStarted, then StepCompleted for each step and EpochCompleted
/// after each epoch, then RunFinished unless a <see cref="TrainingException"/> ends the run.
/// </summary>
public interface ITrainingSink
{
    void RunStarted(RunStart start);

    void StepCompleted(TrainingStep step);

    void EpochCompleted(EpochResult epoch);

    void RunFinished(TrainingOutcome outcome);
}
