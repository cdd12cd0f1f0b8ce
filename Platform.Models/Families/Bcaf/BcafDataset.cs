using EmotionLab.Models.Audio;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Features;
using EmotionLab.Models.Text;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// A corpus prepared for BCAF, one item per utterance, per split (train, validation = dev or
/// valid, test): class targets from the label set (utterances whose label the set drops are left
/// out), word ids from the train-split vocabulary (or, for a pretrained text slot, the transcript's
/// token features from their cache), and audio frames (log-mel, or a pretrained speech encoder's
/// hidden states) read from the feature cache when a batch is asked for, standardised per
/// dimension with train-split statistics and padded per batch. Utterances without usable audio are skipped and listed in <see cref="Skipped"/>. The
/// dataset reads the cache it was built with, so the cache must outlive it; its own tensors (the
/// targets and the statistics) are freed by <see cref="Dispose"/>.
/// </summary>
public sealed class BcafDataset : IClassificationData<BcafBatch>, IDisposable
{
    private readonly Dictionary<DataSplit, SplitItems> splits;
    private readonly FeatureCache features;
    private readonly FeatureCache? textFeatures;
    private readonly int maxTokens, maxFrames;
    private readonly Tensor frameMean, frameStd;

    private BcafDataset(LabelSet labelSet, Vocabulary vocabulary, FeatureCache features, FeatureCache? textFeatures, BcafConfig config,
        Dictionary<DataSplit, SplitItems> splits, Tensor frameMean, Tensor frameStd, IReadOnlyList<SkippedUtterance> skipped, int droppedByLabel)
    {
        (LabelSet, Vocabulary, this.features, this.textFeatures, this.splits, this.frameMean, this.frameStd, Skipped, DroppedByLabel) =
            (labelSet, vocabulary, features, textFeatures, splits, frameMean, frameStd, skipped, droppedByLabel);
        (maxTokens, maxFrames) = (config.Text.MaxLength, config.Audio.MaxLength);
    }

    public LabelSet LabelSet { get; }
    public IReadOnlyList<string> Labels => LabelSet.Labels;

    /// <summary>The train-split vocabulary.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>Width of an audio frame: mel bins, or the pretrained speech encoder's hidden size.</summary>
    public int FrameSize => features.Dimensions;

    /// <summary>Width of a token feature of the pretrained text slot (0 with word ids).</summary>
    public int TextFeatureSize => textFeatures?.Dimensions ?? 0;

    /// <summary>Utterances BCAF could not use (no usable audio), with the reason.</summary>
    public IReadOnlyList<SkippedUtterance> Skipped { get; }

    /// <summary>Utterances left out because the label set drops their label.</summary>
    public int DroppedByLabel { get; }

    public int Count(DataSplit split) => splits[split].Keys.Length;

    public IReadOnlyList<string> Keys(DataSplit split) => splits[split].Keys;

    /// <summary>The model for a config and this data (vocabulary size or text feature width, frame width, classes).</summary>
    public BcafModel CreateModel(BcafConfig config) => new(config, Vocabulary.Count, TextFeatureSize, FrameSize, Labels.Count);

    /// <summary>Word ids and frames of the items at <paramref name="indexes"/>, padded to the longest of them; the tensors belong to the caller's scope.</summary>
    public (BcafBatch Inputs, Tensor Targets) Batch(DataSplit split, Tensor indexes)
    {
        var s = splits[split];
        var items = indexes.data<long>();
        TextInput text;
        if (textFeatures is null) text = TextInput.FromTokens(PaddedBatch.Tokens(items.Select(i => s.Tokens[i]).ToArray(), maxTokens, Vocabulary.UnknownId));
        else
        {
            var (tokenFeatures, tokenPadding) = PaddedBatch.Frames(items.Select(i => textFeatures.Get(s.Keys[i])).ToArray(), maxTokens);
            text = TextInput.FromFeatures(tokenFeatures, tokenPadding);
        }
        var (frames, padding) = PaddedBatch.Frames(items.Select(i => features.Get(s.Keys[i])).ToArray(), maxFrames);
        var standardised = ((frames - frameMean) / frameStd).masked_fill(padding.unsqueeze(2), 0);
        return (new BcafBatch(text, standardised, padding), s.Targets.index_select(0, indexes));
    }

    /// <param name="features">audio frames of the corpus (FeatureCache over the audio slot's extractor); read by every batch, so it must outlive the dataset</param>
    /// <param name="textFeatures">token features of the transcripts for a pretrained text slot (null: word ids); must outlive the dataset too</param>
    public static BcafDataset Build(Corpus corpus, LabelSet labelSet, BcafConfig config, FeatureCache features, FeatureCache? textFeatures = null)
    {
        var (kept, skipped, droppedByLabel) = LabelledUtterances.Select(corpus, labelSet, features, "BCAF");

        var vocabulary = Vocabulary.Build(kept[DataSplit.Train].Select(i => i.Utterance.Text), speakerTokens: 0);
        var (mean, std) = FrameStatistics.Compute(kept[DataSplit.Train].Select(i => features.Get(i.Utterance.Key)), features.Dimensions);
        var splits = kept.ToDictionary(kv => kv.Key, kv => new SplitItems(
            kv.Value.Select(i => i.Utterance.Key).ToArray(),
            kv.Value.Select(i => vocabulary.Encode(i.Utterance.Text)).ToArray(),
            torch.tensor(kv.Value.Select(i => (long)i.Label).ToArray()).DetachFromDisposeScope()));
        return new BcafDataset(labelSet, vocabulary, features, textFeatures, config, splits,
            torch.tensor(mean).DetachFromDisposeScope(), torch.tensor(std).DetachFromDisposeScope(), skipped, droppedByLabel);
    }

    public void Dispose()
    {
        foreach (var s in splits.Values) s.Targets.Dispose();
        frameMean.Dispose();
        frameStd.Dispose();
    }

    private sealed record SplitItems(string[] Keys, int[][] Tokens, Tensor Targets);
}
