using EmotionLab.Models.Corpora;

namespace EmotionLab.Web.Corpora;

/// <summary>The answer to an import form: the import now running, or why none was started (nothing was started then).</summary>
public sealed record CorpusImportStart(CorpusImportStatus? Started, IReadOnlyList<ImportProblem> Problems)
{
    public static CorpusImportStart Refused(string message, string remedy) =>
        new(null, [new ImportProblem("", null, message, remedy, ProblemSeverity.Error)]);
}
