using EmotionLab.Models.Encoders;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Features;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.EmoQ;

/// <summary>
/// A corpus prepared for EmoQ, one item per utterance, per split: the class target, the
/// transcript's tokens for the bridge (RoBERTa's tokens, or word ids of the train split's
/// vocabulary for a scratch former), the prompt's tokens around the &lt;AUDIO&gt; slot, and the
/// audio frames read from the feature cache when a batch is asked for. Utterances missing from
/// the cache are skipped and listed.
/// </summary>
public sealed class EmoQDataset : IClassificationData<EmoQBatch>, IDisposable
{
    private readonly Dictionary<DataSplit, SplitItems> splits;
    private readonly AudioFrameSource? audio;
    private readonly int tokenPaddingId;

    private EmoQDataset(LabelSet labelSet, Dictionary<DataSplit, SplitItems> splits, AudioFrameSource? audio, int tokenPaddingId, IReadOnlyList<SkippedUtterance> skipped)
    {
        (LabelSet, this.splits, this.audio, this.tokenPaddingId, Skipped) = (labelSet, splits, audio, tokenPaddingId, skipped);
    }

    public LabelSet LabelSet { get; }
    public IReadOnlyList<string> Labels => LabelSet.Labels;

    /// <summary>Utterances EmoQ could not use (no features in the cache), with the reason.</summary>
    public IReadOnlyList<SkippedUtterance> Skipped { get; }

    /// <summary>Width of an audio frame (mel bins or HuBERT's hidden size); 0 for text only.</summary>
    public int AudioFrameSize => audio?.Cache.Dimensions ?? 0;

    public int Count(DataSplit split) => splits[split].Keys.Length;

    public IReadOnlyList<string> Keys(DataSplit split) => splits[split].Keys;

    /// <summary>The prompt text of an item, as the LLM reads it (the soft prompt at <see cref="EmoQPrompt.AudioPlaceholder"/>).</summary>
    public string PromptText(DataSplit split, int item) => splits[split].Prompts[item];

    /// <summary>Train items per class, in label order (focal loss's alpha comes from them).</summary>
    public long[] TrainClassCounts()
    {
        var counts = new long[Labels.Count];
        foreach (var label in splits[DataSplit.Train].Targets.data<long>()) counts[label]++;
        return counts;
    }

    public (EmoQBatch Inputs, Tensor Targets) Batch(DataSplit split, Tensor indexes)
    {
        var s = splits[split];
        var items = indexes.data<long>();
        var (frames, framePadding) = audio?.Frames(items.Select(i => s.Keys[i])) ?? default;
        var (tokens, tokenPadding) = s.Tokens is null ? default : PaddedBatch.TokensWithPadding(items.Select(i => s.Tokens[i]).ToArray(), tokenPaddingId);
        return (new EmoQBatch(frames, framePadding, tokens, tokenPadding, items.Select(i => s.Before[i]).ToArray(), items.Select(i => s.After[i]).ToArray()),
            s.Targets.index_select(0, indexes));
    }

    /// <param name="bridgeTokens">the transcript's tokens for the bridge, every row non-empty and cut to length; null when the bridge reads no text</param>
    /// <param name="tokenPaddingId">the bridge's padding token</param>
    /// <param name="audioCache">the audio frames (null for text only); read by every batch, so it must outlive the dataset</param>
    public static EmoQDataset Build(Corpus corpus, LabelSet labelSet, EmoQConfig config, EmoQPrompt prompt,
        Func<string, int[]>? bridgeTokens, int tokenPaddingId, FeatureCache? audioCache)
    {
        var (kept, skipped, _) = LabelledUtterances.Select(corpus, labelSet, audioCache, "EmoQ");
        var splits = new Dictionary<DataSplit, SplitItems>();
        foreach (var (split, items) in kept)
        {
            var encoded = items.Select(i => prompt.Encode(i.Utterance.Text, i.Utterance.Speaker)).ToArray();
            splits[split] = new SplitItems(
                items.Select(i => i.Utterance.Key).ToArray(),
                bridgeTokens is null ? null : items.Select(i => bridgeTokens(i.Utterance.Text)).ToArray(),
                encoded.Select(e => e.Before).ToArray(),
                encoded.Select(e => e.After).ToArray(),
                items.Select(i => prompt.Text(i.Utterance.Text, i.Utterance.Speaker)).ToArray(),
                torch.tensor(items.Select(i => (long)i.Label).ToArray()).DetachFromDisposeScope());
        }
        var source = audioCache is null ? null : AudioFrameSource.Open(audioCache, config.Audio, splits[DataSplit.Train].Keys);
        return new EmoQDataset(labelSet, splits, source, tokenPaddingId, skipped);
    }

    public void Dispose()
    {
        foreach (var s in splits.Values) s.Targets.Dispose();
        audio?.Dispose();
    }

    private sealed record SplitItems(string[] Keys, int[][]? Tokens, int[][] Before, int[][] After, string[] Prompts, Tensor Targets);
}
