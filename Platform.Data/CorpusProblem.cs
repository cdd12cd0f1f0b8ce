namespace EmotionLab.Data;

/// <summary>
/// One problem an import reported, as stored in <see cref="Entities.Corpus.ReportJson"/> and shown
/// on the Corpora page: the file (relative to the corpus folder), the 1-based line or row when
/// known, what is wrong and what to do about it.
/// </summary>
public sealed record CorpusProblem(string File, int? Line, string Message, string Remedy, string Severity = "warning")
{
    public override string ToString() => $"{Severity}: {File}{(Line is { } l ? $":{l}" : "")}: {Message} ({Remedy})";
}
