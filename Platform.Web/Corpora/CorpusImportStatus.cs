using EmotionLab.Models.Corpora;

namespace EmotionLab.Web.Corpora;

public enum CorpusImportOutcome
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// What the Corpora page shows of one import started from it: what was asked, how far it has got,
/// and how it ended (the stored corpus's id, or every problem with its file and row).
/// An immutable snapshot: <see cref="CorpusImports"/> swaps in a new one as the import goes on.
/// </summary>
public sealed record CorpusImportStatus(
    int Id,
    string Name,
    string Format,
    string SourcePath,
    bool Replace,
    DateTimeOffset StartedAt,
    ImportProgress Progress,
    CorpusImportOutcome Outcome = CorpusImportOutcome.Running,
    DateTimeOffset? FinishedAt = null,
    long? CorpusId = null,
    IReadOnlyList<ImportProblem>? Problems = null)
{
    public bool IsRunning => Outcome == CorpusImportOutcome.Running;
    public IReadOnlyList<ImportProblem> AllProblems => Problems ?? [];
    public IReadOnlyList<ImportProblem> Errors => AllProblems.Where(p => p.Severity == ProblemSeverity.Error).ToArray();
    public IReadOnlyList<ImportProblem> Warnings => AllProblems.Where(p => p.Severity == ProblemSeverity.Warning).ToArray();
}
