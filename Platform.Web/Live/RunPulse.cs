namespace EmotionLab.Web.Live;

/// <summary>
/// The part of a run that a page shows and that changes while it trains; two looks that differ in
/// any field mean the run's pages must refresh.
/// </summary>
public sealed record RunPulse
{
    public long Id { get; init; }
    public long? GridId { get; init; }
    public string Status { get; init; } = "";
    /// <summary>Set again by each retry: a cancel and a retry between two looks leave every other field as it was.</summary>
    public DateTimeOffset QueuedAt { get; init; }
    public double Progress { get; init; }
    public int Attempt { get; init; }
    public bool CancelRequested { get; init; }
    public int? BestEpoch { get; init; }
    public string? Node { get; init; }
    /// <summary>The newest step whose loss is stored: the loss curve grew.</summary>
    public int? LastStep { get; init; }
    /// <summary>How many (epoch, split) scores are stored: an epoch finished.</summary>
    public int Scores { get; init; }
}
