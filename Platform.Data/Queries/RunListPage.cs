namespace EmotionLab.Data.Queries;

/// <summary>One page of runs, newest first; NextBefore is the cursor of the next page, null on the last.</summary>
public sealed record RunListPage(IReadOnlyList<RunListItem> Runs, long? NextBefore)
{
}
