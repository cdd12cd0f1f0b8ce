using EmotionLab.Data.Queries;
using EmotionLab.Models.Corpora;

namespace EmotionLab.Web.Corpora;

/// <summary>
/// A label set's counts per split for a stored corpus, summed from the raw-label counts PostgreSQL
/// grouped (each raw label maps to one canonical label or is dropped). Sets that read MELD's
/// sentiment column cannot be counted: the database keeps the emotion label only.
/// </summary>
public sealed record LabelSetCounts(LabelSet Set, IReadOnlyList<string> Splits, IReadOnlyDictionary<(string Split, string Label), int> Counts)
{
    public int this[string split, string label] => Counts.TryGetValue((split, label), out var n) ? n : 0;
    public int SplitTotal(string split) => Set.Labels.Sum(l => this[split, l]);
    public int LabelTotal(string label) => Splits.Sum(s => this[s, label]);
    public int Total => Splits.Sum(SplitTotal);

    /// <summary>The emotion label sets of the corpus's format (LabelSets.For), counted.</summary>
    public static IReadOnlyList<LabelSetCounts> For(CorpusOverview overview) =>
        LabelSets.For(overview.Corpus.Format).Where(s => s.Source == LabelSource.Emotion).Select(set =>
        {
            var counts = new Dictionary<(string, string), int>();
            foreach (var row in overview.Labels)
                if (set.Map.TryGetValue(row.RawLabel, out var label))
                    counts[(row.Split, label)] = counts.GetValueOrDefault((row.Split, label)) + row.Utterances;
            return new LabelSetCounts(set, overview.Splits.Select(s => s.Split).ToList(), counts);
        }).ToList();

    /// <summary>Label sets of the format that read a column the database does not keep.</summary>
    public static IReadOnlyList<LabelSet> Uncounted(CorpusOverview overview) =>
        LabelSets.For(overview.Corpus.Format).Where(s => s.Source != LabelSource.Emotion).ToList();
}
