namespace EmotionLab.Data.Queries;

/// <summary>The columns the runs table sorts by on the server; each ends with the run id, newest first, so pages are stable.</summary>
public enum RunSort
{
    Id,
    Status,
    Family,
    Variant,
    Seed,
    Progress,
    QueuedAt,
    StartedAt,
    FinishedAt,
}
