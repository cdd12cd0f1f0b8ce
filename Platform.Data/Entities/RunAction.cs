namespace EmotionLab.Data.Entities;

/// <summary>
/// Who did what to a run, and when: queued, canceled, retried. Kept with the run and shown on its
/// page; the user is null for a node's CLI (or an account since removed).
/// </summary>
public sealed class RunAction
{
    public const string Queued = "queued";
    public const string Canceled = "canceled";
    public const string Retried = "retried";

    public long Id { get; set; }
    public long RunId { get; set; }
    public required string Action { get; set; }
    public long? UserId { get; set; }
    public DateTimeOffset At { get; set; }
}
