using EmotionLab.Models.Corpora;

namespace EmotionLab.Worker.Corpora;

/// <summary>
/// A registration's outcome: the stored corpus's id and what was imported, or no id and every
/// problem (import errors with file and line, or why the database refused). Warnings come either way.
/// </summary>
public sealed class CorpusRegistrationResult
{
    private CorpusRegistrationResult(long? corpusId, Corpus? corpus, string? manifestPath, IReadOnlyList<ImportProblem> problems)
    {
        CorpusId = corpusId;
        Corpus = corpus;
        ManifestPath = manifestPath;
        Problems = problems;
    }

    public long? CorpusId { get; }
    public bool Succeeded => CorpusId is not null;

    /// <summary>The imported corpus, when it was stored.</summary>
    public Corpus? Corpus { get; }

    public string? ManifestPath { get; }

    /// <summary>Errors first, then warnings, each sorted by file and line.</summary>
    public IReadOnlyList<ImportProblem> Problems { get; }
    public IReadOnlyList<ImportProblem> Errors => Problems.Where(p => p.Severity == ProblemSeverity.Error).ToArray();
    public IReadOnlyList<ImportProblem> Warnings => Problems.Where(p => p.Severity == ProblemSeverity.Warning).ToArray();

    internal static CorpusRegistrationResult Stored(long corpusId, Corpus corpus, string? manifestPath, IEnumerable<ImportProblem> warnings) =>
        new(corpusId, corpus, manifestPath, warnings.ToArray());

    internal static CorpusRegistrationResult Failed(IEnumerable<ImportProblem> problems) =>
        new(null, null, null, problems.OrderByDescending(p => p.Severity).ToArray());

    /// <summary>A failure that concerns no file: a bad request or the database's refusal.</summary>
    internal static CorpusRegistrationResult Refused(string message, string remedy) =>
        Failed([new ImportProblem("", null, message, remedy, ProblemSeverity.Error)]);
}
