namespace EmotionLab.Data.Entities;

/// <summary>
/// A run, experiment or grid that was deleted: what it was, who deleted it and when, and which
/// runs went with it. Kept after the rows are gone, so the address of a deleted run or grid says
/// what became of it.
/// </summary>
public sealed class Deletion
{
    public const string RunKind = "run";
    public const string ExperimentKind = "experiment";
    public const string GridKind = "grid";

    public long Id { get; set; }
    /// <summary>run, experiment or grid.</summary>
    public required string Kind { get; set; }
    public long TargetId { get; set; }
    public required string Name { get; set; }
    /// <summary>Every run deleted with it (the run itself for a run).</summary>
    public long[] RunIds { get; set; } = [];
    /// <summary>The grid those runs were in (the grid itself for a grid), so an open grid page hears of it.</summary>
    public long? GridId { get; set; }
    /// <summary>What went, as the confirmation said it: "3 runs, 1,240 metric rows, 3 checkpoints (1.2 MB), 3 prediction files".</summary>
    public required string Summary { get; set; }
    public long? UserId { get; set; }
    public DateTimeOffset At { get; set; }
}
