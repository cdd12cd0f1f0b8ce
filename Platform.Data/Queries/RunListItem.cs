using EmotionLab.Data.Entities;

namespace EmotionLab.Data.Queries;

/// <summary>One row of the runs list.</summary>
public sealed record RunListItem
{
    public long Id { get; init; }
    public long ExperimentId { get; init; }
    public required string ExperimentName { get; init; }
    public required string Family { get; init; }
    public long CorpusId { get; init; }
    public long? GridId { get; init; }
    public string? GridName { get; init; }
    /// <summary>Who queued it; null for work queued by a node's CLI or before accounts.</summary>
    public long? OwnerId { get; init; }
    public string? OwnerName { get; init; }
    public long? ProjectId { get; init; }
    public string? ProjectName { get; init; }
    public required string Variant { get; init; }
    public int Seed { get; init; }
    public RunStatus Status { get; init; }
    /// <summary>A cancel was asked for and the trainer has not stopped yet.</summary>
    public bool CancelRequested { get; init; }
    public double Progress { get; init; }
    public string? Node { get; init; }
    public string? Device { get; init; }
    public DateTimeOffset QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>The latest epoch's test scores, or its validation scores before any test epoch; null before the first epoch.</summary>
    public RunScores? LatestScores { get; init; }
    /// <summary>Test weighted F1 at the run's best epoch (chosen on validation), once it has one.</summary>
    public double? TestWeightedF1AtBestEpoch { get; init; }

    public bool IsActive => Status is RunStatus.Queued or RunStatus.Running;
}
