namespace EmotionLab.Web.Compare;

/// <summary>How the compare page draws confusion matrices and per-class F1: one per run, or one per variant (the mean over its seeds).</summary>
public enum CompareGrouping
{
    Run,
    Variant,
}
