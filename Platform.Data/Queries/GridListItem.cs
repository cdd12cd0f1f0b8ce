namespace EmotionLab.Data.Queries;

/// <summary>One grid in the grids list, with its runs counted by where they are.</summary>
public sealed record GridListItem
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public required string Family { get; init; }
    public int Variants { get; init; }
    public int Seeds { get; init; }
    public long? ProjectId { get; init; }
    public string? ProjectName { get; init; }
    public long? OwnerId { get; init; }
    /// <summary>Who queued it; null for a grid queued by a node's CLI or before accounts.</summary>
    public string? OwnerName { get; init; }
    public int Runs { get; init; }
    public int Succeeded { get; init; }
    public int Failed { get; init; }
    /// <summary>Queued or Running.</summary>
    public int Active { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
