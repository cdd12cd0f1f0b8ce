using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Features;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.Eaa;

/// <summary>
/// A corpus prepared for EAA, one item per utterance, per split: the class target, the prompt's
/// tokens around the audio (the context eq. (5) asks for: the current transcript and the one
/// before it in the same dialogue, never a later one), and each used stream's frames read from
/// its feature cache when a batch is asked for (log-mel standardised with train-split statistics
/// for a scratch encoder; a pretrained encoder's cached hidden state as it is, since its tuned
/// layers expect it so). Utterances missing from a cache are skipped and listed.
/// </summary>
public sealed class EaaDataset : IClassificationData<EaaBatch>, IDisposable
{
    private readonly Dictionary<DataSplit, SplitItems> splits;
    private readonly AudioFrameSource? semantic, acoustic;

    private EaaDataset(LabelSet labelSet, Dictionary<DataSplit, SplitItems> splits, AudioFrameSource? semantic, AudioFrameSource? acoustic, IReadOnlyList<SkippedUtterance> skipped)
    {
        (LabelSet, this.splits, this.semantic, this.acoustic, Skipped) = (labelSet, splits, semantic, acoustic, skipped);
    }

    public LabelSet LabelSet { get; }
    public IReadOnlyList<string> Labels => LabelSet.Labels;

    /// <summary>Utterances EAA could not use (no features in a cache), with the reason.</summary>
    public IReadOnlyList<SkippedUtterance> Skipped { get; }

    /// <summary>Width of a semantic / acoustic frame (mel bins or the encoder's hidden size); 0 when the stream is off.</summary>
    public int SemanticFrameSize => semantic?.Cache.Dimensions ?? 0;
    public int AcousticFrameSize => acoustic?.Cache.Dimensions ?? 0;

    public int Count(DataSplit split) => splits[split].Keys.Length;

    public IReadOnlyList<string> Keys(DataSplit split) => splits[split].Keys;

    /// <summary>The prompt text of an item, as the LLM reads it (the audio at <see cref="EaaPrompt.AudioPlaceholder"/>).</summary>
    public string PromptText(DataSplit split, int item) => splits[split].Prompts[item];

    public (EaaBatch Inputs, Tensor Targets) Batch(DataSplit split, Tensor indexes)
    {
        var s = splits[split];
        var items = indexes.data<long>();
        var keys = items.Select(i => s.Keys[i]).ToArray();
        var (semanticFrames, semanticPadding) = semantic?.Frames(keys) ?? default;
        var (acousticFrames, acousticPadding) = acoustic?.Frames(keys) ?? default;
        return (new EaaBatch(semanticFrames, semanticPadding, acousticFrames, acousticPadding,
            items.Select(i => s.Before[i]).ToArray(), items.Select(i => s.After[i]).ToArray()), s.Targets.index_select(0, indexes));
    }

    /// <param name="semanticCache">the semantic stream's frames (null when it is off); read by every batch, so it must outlive the dataset</param>
    /// <param name="acousticCache">the acoustic stream's frames (null when it is off)</param>
    public static EaaDataset Build(Corpus corpus, LabelSet labelSet, EaaConfig config, EaaPrompt prompt, FeatureCache? semanticCache, FeatureCache? acousticCache)
    {
        var (kept, skipped, _) = LabelledUtterances.Select(corpus, labelSet, semanticCache ?? acousticCache, "EAA");
        var skippedAll = skipped.ToList();
        var previous = PrecedingUtterances(corpus);
        var splits = new Dictionary<DataSplit, SplitItems>();
        foreach (var (split, items) in kept)
        {
            var usable = items.Where(i =>
            {
                if (semanticCache is null || acousticCache is null || acousticCache.Contains(i.Utterance.Key)) return true;
                skippedAll.Add(new SkippedUtterance(i.Utterance.Key, "no acoustic features in the cache"));
                return false;
            }).ToArray();
            if (usable.Length == 0) throw new ArgumentException($"corpus {corpus.Name} has no utterances with both streams' features in split {split}");
            var texts = usable.Select(i => (Current: i.Utterance.Text, Previous: previous.GetValueOrDefault(i.Utterance.Key))).ToArray();
            var encoded = texts.Select(t => prompt.Encode(t.Current, t.Previous)).ToArray();
            splits[split] = new SplitItems(
                usable.Select(i => i.Utterance.Key).ToArray(),
                encoded.Select(e => e.Before).ToArray(),
                encoded.Select(e => e.After).ToArray(),
                texts.Select(t => prompt.Text(t.Current, t.Previous)).ToArray(),
                torch.tensor(usable.Select(i => (long)i.Label).ToArray()).DetachFromDisposeScope());
        }
        var train = splits[DataSplit.Train].Keys;
        return new EaaDataset(labelSet, splits,
            semanticCache is null ? null : AudioFrameSource.Open(semanticCache, config.Semantic, train),
            acousticCache is null ? null : AudioFrameSource.Open(acousticCache, config.Acoustic, train),
            skippedAll);
    }

    /// <summary>Each utterance's preceding utterance in its dialogue (corpus order); the first of a dialogue has none.</summary>
    public static Dictionary<string, string> PrecedingUtterances(Corpus corpus)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dialogue in corpus.Dialogues)
            for (var i = 1; i < dialogue.Utterances.Count; i++)
                previous[dialogue.Utterances[i].Key] = dialogue.Utterances[i - 1].Text;
        return previous;
    }

    public void Dispose()
    {
        foreach (var s in splits.Values) s.Targets.Dispose();
        semantic?.Dispose();
        acoustic?.Dispose();
    }

    private sealed record SplitItems(string[] Keys, int[][] Before, int[][] After, string[] Prompts, Tensor Targets);
}
