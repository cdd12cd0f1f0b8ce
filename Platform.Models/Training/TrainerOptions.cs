namespace EmotionLab.Models.Training;

/// <summary>How the trainer is driven, beyond the spec.</summary>
public sealed record TrainerOptions
{
    /// <summary>The run's name in reports and errors (the platform's run id); defaults to the run folder's name.</summary>
    public string? RunName { get; init; }

    /// <summary>Polled every <see cref="CancelCheckEverySteps"/> steps (e.g. a flag in the database); true stops the run.</summary>
    public Func<bool>? CancelRequested { get; init; }

    public int CancelCheckEverySteps { get; init; } = 5;
}
