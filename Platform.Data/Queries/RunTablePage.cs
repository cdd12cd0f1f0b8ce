namespace EmotionLab.Data.Queries;

/// <summary>One page of the runs table and how many runs match its filter in all.</summary>
public sealed record RunTablePage(IReadOnlyList<RunListItem> Runs, int Total);
