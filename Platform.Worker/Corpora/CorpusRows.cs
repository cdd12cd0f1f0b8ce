using EmotionLab.Data;
using EmotionLab.Models.Corpora;
using Entities = EmotionLab.Data.Entities;

namespace EmotionLab.Worker.Corpora;

/// <summary>An imported corpus as the rows <see cref="CorpusWriter"/> stores: the corpus row, its dialogues and their utterances.</summary>
public static class CorpusRows
{
    public static CorpusContent From(Corpus corpus, string name, string format, string sourcePath, string contentHash, IEnumerable<ImportProblem> warnings, DateTimeOffset importedAt)
    {
        var row = new Entities.Corpus
        {
            Name = name, Format = format, SourcePath = sourcePath, ContentHash = contentHash, ImportedAt = importedAt,
            ReportJson = CorpusReport.Serialize(warnings.Select(p => new CorpusProblem(p.File, p.Line, p.Message, p.Remedy,
                p.Severity == ProblemSeverity.Error ? "error" : "warning"))),
        };
        var dialogues = corpus.Dialogues.Select(d => new DialogueContent(
            new Entities.Dialogue { Split = d.Split, Fold = d.Fold, ExternalId = ExternalId(corpus.Name, d) },
            d.Utterances.Select(ToRow).ToArray())).ToArray();
        return new CorpusContent(row, dialogues);
    }

    /// <summary>
    /// The dialogue's id as the corpus gives it: MELD's Dialogue_ID from "meld-train-dia12" (unique
    /// per split only), IEMOCAP's dialog name from "iemocap-Ses01F_impro01".
    /// </summary>
    public static string ExternalId(string corpusName, Dialogue dialogue)
    {
        var key = dialogue.Key.StartsWith(corpusName + "-", StringComparison.Ordinal) ? dialogue.Key[(corpusName.Length + 1)..] : dialogue.Key;
        var meldPrefix = dialogue.Split + "-dia";
        return key.StartsWith(meldPrefix, StringComparison.Ordinal) ? key[meldPrefix.Length..] : key;
    }

    private static Entities.Utterance ToRow(Utterance u) => new()
    {
        Key = u.Key,
        Split = u.Split,
        Fold = u.Fold,
        Index = u.Index,
        Speaker = u.Speaker,
        StartSeconds = u.Start.TotalSeconds,
        EndSeconds = u.End.TotalSeconds,
        Text = u.Text,
        RawLabel = u.RawLabel,
        AudioPath = u.AudioPath,
        DurationSeconds = u.Duration,
        SampleRate = u.SampleRate,
        AudioOk = u.AudioOk,
        AudioProblem = u.AudioProblem,
    };
}
