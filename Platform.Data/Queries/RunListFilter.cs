using EmotionLab.Data.Entities;

namespace EmotionLab.Data.Queries;

/// <summary>
/// Which runs a list shows: optional filters, and a keyset cursor (runs are listed newest first,
/// so the next page holds the ids below the last one shown).
/// </summary>
public sealed record RunListFilter
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public RunStatus? Status { get; init; }
    public string? Family { get; init; }
    public long? GridId { get; init; }
    public long? CorpusId { get; init; }
    /// <summary>The runs of one experiment (its seeds), e.g. right after it was submitted.</summary>
    public long? ExperimentId { get; init; }
    /// <summary>The runs queued by one account ("mine" on the runs page).</summary>
    public long? OwnerId { get; init; }
    /// <summary>The runs of one project's experiments and grids.</summary>
    public long? ProjectId { get; init; }
    /// <summary>Only runs with an id below this one (the last id of the previous page).</summary>
    public long? Before { get; init; }
    public int Limit { get; init; } = DefaultLimit;
}
