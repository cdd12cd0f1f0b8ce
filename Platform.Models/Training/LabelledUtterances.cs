using EmotionLab.Models.Corpora;
using EmotionLab.Models.Features;

namespace EmotionLab.Models.Training;

/// <summary>
/// The utterances an utterance-level family trains and scores on, per data split: those whose
/// label the set keeps (with the label's index), and, when the family hears audio, only those with
/// features in the cache; the others are listed with the reason.
/// </summary>
public sealed record LabelledUtterances(
    IReadOnlyDictionary<DataSplit, IReadOnlyList<(Utterance Utterance, int Label)>> Splits,
    IReadOnlyList<SkippedUtterance> Skipped,
    int DroppedByLabel)
{
    /// <summary>The corpus split each data split reads: train, validation = dev (MELD's layout) or valid (IEMOCAP's ERC split), test.</summary>
    public static IReadOnlyDictionary<DataSplit, string> SplitNames(Corpus corpus) => new Dictionary<DataSplit, string>
    {
        [DataSplit.Train] = "train",
        [DataSplit.Validation] = corpus.Splits.Contains("dev") ? "dev" : "valid",
        [DataSplit.Test] = "test",
    };

    /// <param name="features">the log-mel cache when the family hears audio (utterances without features are skipped); null for text only</param>
    /// <param name="user">the family or variant, for the message when a split ends up empty ("BCAF", "the text baseline")</param>
    public static LabelledUtterances Select(Corpus corpus, LabelSet labelSet, FeatureCache? features, string user)
    {
        var missingReasons = features?.Missing.ToDictionary(m => m.Key, m => m.Reason) ?? [];
        var skipped = new List<SkippedUtterance>();
        var droppedByLabel = 0;
        var kept = new Dictionary<DataSplit, IReadOnlyList<(Utterance, int)>>();
        foreach (var (split, name) in SplitNames(corpus))
        {
            var items = new List<(Utterance, int)>();
            foreach (var u in corpus.Utterances.Where(u => u.Split == name))
            {
                var label = labelSet.IndexOf(u);
                if (label < 0) { droppedByLabel++; continue; }
                if (features is not null && !features.Contains(u.Key))
                {
                    skipped.Add(new SkippedUtterance(u.Key, missingReasons.GetValueOrDefault(u.Key, "no log-mel features in the cache")));
                    continue;
                }
                items.Add((u, label));
            }
            if (items.Count == 0)
                throw new ArgumentException($"corpus {corpus.Name} has no usable '{name}' utterances for label set {labelSet.Name} and {user} " +
                                            $"(splits present: {string.Join(", ", corpus.Splits)})");
            kept[split] = items;
        }
        return new LabelledUtterances(kept, skipped, droppedByLabel);
    }
}
