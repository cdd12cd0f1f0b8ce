using EmotionLab.Data.Entities;

namespace EmotionLab.Data.Queries.Comparison;

/// <summary>One run of a comparison: who it is (experiment, grid variant, seed), how far it got and the spec it trained with.</summary>
public sealed record ComparedRun
{
    public long Id { get; init; }
    public long ExperimentId { get; init; }
    public required string ExperimentName { get; init; }
    public required string Family { get; init; }
    public long CorpusId { get; init; }
    public long? GridId { get; init; }
    public string? GridName { get; init; }
    /// <summary>The grid variant's name, empty for a single experiment.</summary>
    public required string Variant { get; init; }
    public int Seed { get; init; }
    public RunStatus Status { get; init; }
    public int? BestEpoch { get; init; }
    /// <summary>The experiment's spec JSON; the run trained it with <see cref="Seed"/> as its seed.</summary>
    public required string SpecJson { get; init; }
    public double? TestWeightedF1AtBestEpoch { get; init; }
}
