using EmotionLab.Models.Corpora;

namespace EmotionLab.Web.Corpora;

/// <summary>
/// The answer to an import request: the import now running, or why none was started (nothing was
/// started then): the request's problems, or Busy while another import runs.
/// </summary>
public sealed record CorpusImportStart(CorpusImportStatus? Started, IReadOnlyList<ImportProblem> Problems, bool Busy = false)
{
    public static CorpusImportStart Refused(string message, string remedy) =>
        new(null, [new ImportProblem("", null, message, remedy, ProblemSeverity.Error)], Busy: true);
}
