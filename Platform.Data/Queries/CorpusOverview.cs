using EmotionLab.Data.Entities;

namespace EmotionLab.Data.Queries;

/// <summary>
/// What the Corpora page shows of one stored corpus: counts per split, per raw label and split, per
/// fold, usable and unusable audio (with the reasons), and the problems its import reported.
/// </summary>
public sealed record CorpusOverview(
    Corpus Corpus,
    IReadOnlyList<CorpusSplitCounts> Splits,
    IReadOnlyList<CorpusLabelCount> Labels,
    IReadOnlyList<CorpusFoldCount> Folds,
    IReadOnlyList<CorpusAudioProblemCount> AudioProblems,
    IReadOnlyList<CorpusProblem> Problems)
{
    public int Utterances => Splits.Sum(s => s.Utterances);
    public int Dialogues => Splits.Sum(s => s.Dialogues);
    public int AudioOk => Splits.Sum(s => s.AudioOk);
    public int AudioBad => Utterances - AudioOk;

    /// <summary>Raw labels, most frequent first (ties by name).</summary>
    public IReadOnlyList<string> RawLabels => Labels.GroupBy(l => l.RawLabel)
        .OrderByDescending(g => g.Sum(l => l.Utterances)).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();

    public int LabelCount(string split, string rawLabel) =>
        Labels.FirstOrDefault(l => l.Split == split && l.RawLabel == rawLabel)?.Utterances ?? 0;

    public int LabelTotal(string rawLabel) => Labels.Where(l => l.RawLabel == rawLabel).Sum(l => l.Utterances);

    /// <summary>Split order: train, dev, valid(ation), test, then any other by name.</summary>
    public static int SplitRank(string split) => Array.IndexOf(KnownSplits, split) is var i && i >= 0 ? i : KnownSplits.Length;

    private static readonly string[] KnownSplits = ["train", "dev", "valid", "validation", "test"];
}

public sealed record CorpusSplitCounts(string Split, int Utterances, int Dialogues, int AudioOk)
{
    public int AudioBad => Utterances - AudioOk;
}

public sealed record CorpusLabelCount(string Split, string RawLabel, int Utterances);

/// <summary>Utterances and dialogues of one fold (IEMOCAP's session).</summary>
public sealed record CorpusFoldCount(int Fold, int Utterances, int Dialogues);

/// <summary>How many utterances' audio is unusable for one reason.</summary>
public sealed record CorpusAudioProblemCount(string Reason, int Utterances);
