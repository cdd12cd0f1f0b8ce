namespace EmotionLab.Models.Corpora;

/// <summary>
/// All or nothing: a complete validated corpus (possibly with warnings), or no corpus and a report
/// of every problem. <see cref="ManifestPath"/> is set only when the manifest was written.
/// </summary>
public sealed class ImportResult
{
    private ImportResult(Corpus? corpus, ImportReport report, string? manifestPath)
    {
        Corpus = corpus;
        Report = report;
        ManifestPath = manifestPath;
    }

    public Corpus? Corpus { get; }
    public ImportReport Report { get; }
    public string? ManifestPath { get; }
    public bool Succeeded => Corpus is not null;

    public static ImportResult Success(Corpus corpus, ImportReport report, string manifestPath) =>
        report.HasErrors ? throw new ArgumentException("a report with errors cannot accompany a corpus", nameof(report)) : new(corpus, report, manifestPath);

    public static ImportResult Failure(ImportReport report) =>
        report.HasErrors ? new(null, report, null) : throw new ArgumentException("a failed import needs at least one error", nameof(report));
}
