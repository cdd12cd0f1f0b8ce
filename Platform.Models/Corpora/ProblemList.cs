namespace EmotionLab.Models.Corpora;

/// <summary>Collects problems while an importer walks the corpus; thread-safe because audio work runs in parallel.</summary>
internal sealed class ProblemList
{
    private readonly List<ImportProblem> problems = [];

    public void Error(string file, int? line, string message, string remedy) => Add(new(file, line, message, remedy, ProblemSeverity.Error));

    public void Warning(string file, int? line, string message, string remedy) => Add(new(file, line, message, remedy, ProblemSeverity.Warning));

    public bool HasErrors
    {
        get { lock (problems) return problems.Any(p => p.Severity == ProblemSeverity.Error); }
    }

    public ImportReport ToReport()
    {
        lock (problems) return new ImportReport(problems.ToArray());
    }

    private void Add(ImportProblem p)
    {
        lock (problems) problems.Add(p);
    }
}
