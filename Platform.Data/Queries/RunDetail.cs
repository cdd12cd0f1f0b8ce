using EmotionLab.Data.Entities;

namespace EmotionLab.Data.Queries;

/// <summary>A run with its experiment, every epoch's scores per split, and every confusion matrix.</summary>
public sealed record RunDetail(
    Run Run,
    Experiment Experiment,
    string? GridName,
    IReadOnlyList<EpochMetric> Epochs,
    IReadOnlyList<ConfusionMatrixRow> ConfusionMatrices)
{
    /// <summary>The experiment's project, if it has one.</summary>
    public string? ProjectName { get; init; }
    /// <summary>Who queued it; null for work queued by a node's CLI or before accounts.</summary>
    public string? OwnerName { get; init; }

    /// <summary>The splits that have scores, in the order train, validation, test, then any other.</summary>
    public IReadOnlyList<string> Splits => Epochs.Select(e => e.Split).Distinct()
        .OrderBy(s => Array.IndexOf(KnownSplits, s) is var i && i >= 0 ? i : KnownSplits.Length).ThenBy(s => s, StringComparer.Ordinal).ToList();

    private static readonly string[] KnownSplits = ["train", "validation", "test"];
}
