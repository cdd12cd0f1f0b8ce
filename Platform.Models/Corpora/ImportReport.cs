namespace EmotionLab.Models.Corpora;

/// <summary>Every problem an import found, errors and warnings, sorted by file then line.</summary>
public sealed class ImportReport
{
    public ImportReport(IEnumerable<ImportProblem> problems)
    {
        Problems = problems
            .OrderBy(p => p.File, StringComparer.Ordinal)
            .ThenBy(p => p.Line ?? 0)
            .ThenBy(p => p.Message, StringComparer.Ordinal)
            .ToArray();
    }

    public IReadOnlyList<ImportProblem> Problems { get; }
    public IReadOnlyList<ImportProblem> Errors => Problems.Where(p => p.Severity == ProblemSeverity.Error).ToArray();
    public IReadOnlyList<ImportProblem> Warnings => Problems.Where(p => p.Severity == ProblemSeverity.Warning).ToArray();
    public bool HasErrors => Problems.Any(p => p.Severity == ProblemSeverity.Error);

    public override string ToString() => string.Join(Environment.NewLine, Problems);
}
