namespace EmotionLab.Data.Entities;

/// <summary>Where a run is in its life; stored as its name.</summary>
public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Canceled,
}
