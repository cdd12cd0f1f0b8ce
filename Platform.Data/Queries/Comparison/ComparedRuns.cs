namespace EmotionLab.Data.Queries.Comparison;

/// <summary>The runs found, in the order they were asked for (each once), and the ids that matched no run.</summary>
public sealed record ComparedRuns(IReadOnlyList<ComparedRun> Runs, IReadOnlyList<long> MissingIds);
