using EmotionLab.Data.Entities;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// What a cancel or retry did: Changed when the run moved, otherwise it was in a status the action
/// does not apply to (a finished run cannot be canceled, a running one not retried). Status is the
/// run's status afterwards; null when there is no such run.
/// </summary>
public sealed record RunActionOutcome(bool Changed, RunStatus? Status)
{
    public static RunActionOutcome NotFound { get; } = new(false, null);

    public bool Found => Status is not null;
}
