namespace EmotionLab.Models.Training;

/// <summary>A run that cannot go on (NaN loss, a checkpoint of another spec), naming the run and where it stopped.</summary>
public sealed class TrainingException(string message, string run, int? epoch = null, long? step = null) : Exception(message)
{
    public string Run { get; } = run;
    public int? Epoch { get; } = epoch;
    public long? Step { get; } = step;
}
