namespace EmotionLab.Data.Queries;

/// <summary>A run that failed lately, with the first line of its error.</summary>
public sealed record RecentFailure(long Id, string ExperimentName, string Variant, int Seed, DateTimeOffset? FinishedAt, string? Error);
