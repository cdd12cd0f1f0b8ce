namespace EmotionLab.Models.Corpora;

/// <summary>Errors make the corpus unusable and fail the import; warnings mark single utterances' audio unusable.</summary>
public enum ProblemSeverity
{
    Warning,
    Error,
}
