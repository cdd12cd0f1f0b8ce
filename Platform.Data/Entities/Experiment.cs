namespace EmotionLab.Data.Entities;

/// <summary>What a run trains: a family and its full spec (every switch and hyperparameter) as JSON.</summary>
public sealed class Experiment
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Family { get; set; }
    public long CorpusId { get; set; }
    public required string SpecJson { get; set; }
    /// <summary>SHA-256 of the canonical spec JSON: equal specs, equal hash.</summary>
    public required string SpecHash { get; set; }
    public long? GridId { get; set; }
    /// <summary>The account that queued it (null for work queued before accounts, or by a node's CLI): its owner and admins may change it.</summary>
    public long? OwnerId { get; set; }
    /// <summary>The project it belongs to (null: none); a grid's experiments are in the grid's project.</summary>
    public long? ProjectId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An ablation grid: a base spec, axes of values, and seeds; one experiment per variant.</summary>
public sealed class Grid
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Family { get; set; }
    public required string BaseSpecJson { get; set; }
    /// <summary>Axes as JSON, as GridAxis serializes them: [{"name": "...", "values": [{"label": "...", "settings": {"field": value}}]}].</summary>
    public required string AxesJson { get; set; }
    public int[] Seeds { get; set; } = [];
    /// <summary>The variant the others are compared with (the full model).</summary>
    public string? ReferenceVariant { get; set; }
    /// <summary>The account that queued it; see Experiment.OwnerId.</summary>
    public long? OwnerId { get; set; }
    public long? ProjectId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
