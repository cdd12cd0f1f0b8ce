namespace EmotionLab.Models.Corpora;

/// <summary>
/// One thing wrong with the corpus on disk. <see cref="File"/> is relative to the corpus folder
/// (forward slashes); <see cref="Line"/> is 1-based, null when the problem concerns a whole file.
/// </summary>
public sealed record ImportProblem(string File, int? Line, string Message, string Remedy, ProblemSeverity Severity)
{
    public override string ToString() =>
        $"{(Severity == ProblemSeverity.Error ? "error" : "warning")}: {File}{(Line is { } l ? $":{l}" : "")}: {Message} ({Remedy})";
}
