using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Features;
using EmotionLab.Models.Text;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.Baselines;

/// <summary>
/// A corpus prepared for the Baselines family, per split (train, validation = dev or valid,
/// test): class targets from the label set (utterances whose label the set drops are left out),
/// word ids from the train-split vocabulary (text variants) and pooled log-mel statistics
/// standardised with train-split mean and deviation (audio variants). Utterances without usable
/// audio are skipped for audio variants and listed in <see cref="Skipped"/>. All tensors are built
/// once here and freed by <see cref="Dispose"/>.
/// </summary>
public sealed class BaselinesDataset : IClassificationData<BaselinesBatch>, IDisposable
{
    private readonly Dictionary<DataSplit, SplitTensors> splits;

    private BaselinesDataset(LabelSet labelSet, Vocabulary? vocabulary, int audioInputSize, Dictionary<DataSplit, SplitTensors> splits,
        IReadOnlyList<SkippedUtterance> skipped, int droppedByLabel)
    {
        (LabelSet, Vocabulary, AudioInputSize, this.splits, Skipped, DroppedByLabel) = (labelSet, vocabulary, audioInputSize, splits, skipped, droppedByLabel);
    }

    public LabelSet LabelSet { get; }
    public IReadOnlyList<string> Labels => LabelSet.Labels;

    /// <summary>The train-split vocabulary (text variants; null for audio-only).</summary>
    public Vocabulary? Vocabulary { get; }

    /// <summary>Width of the pooled log-mel vector (audio variants; 0 for text-only).</summary>
    public int AudioInputSize { get; }

    /// <summary>Utterances the variant could not use (no usable audio), with the reason.</summary>
    public IReadOnlyList<SkippedUtterance> Skipped { get; }

    /// <summary>Utterances left out because the label set drops their label.</summary>
    public int DroppedByLabel { get; }

    public int Count(DataSplit split) => splits[split].Keys.Count;

    /// <summary>Utterance keys of a split, in item order.</summary>
    public IReadOnlyList<string> Keys(DataSplit split) => splits[split].Keys;

    /// <summary>The model for a config and this data (vocabulary size, audio width, classes).</summary>
    public BaselinesModel CreateModel(BaselinesConfig config) =>
        new(config, Vocabulary?.Count ?? 0, AudioInputSize, Labels.Count);

    public (BaselinesBatch Inputs, Tensor Targets) Batch(DataSplit split, Tensor indexes)
    {
        var s = splits[split];
        return (new BaselinesBatch(s.Tokens?.index_select(0, indexes), s.Audio?.index_select(0, indexes)), s.Targets.index_select(0, indexes));
    }

    /// <param name="features">log-mel frames of the corpus (FeatureCache over LogMelFeatures); required by audio variants</param>
    public static BaselinesDataset Build(Corpus corpus, LabelSet labelSet, BaselinesConfig config, FeatureCache? features)
    {
        var usesText = Modalities.UsesText(BaselinesConfig.ModalitiesOf(config.Variant));
        var usesAudio = Modalities.UsesAudio(BaselinesConfig.ModalitiesOf(config.Variant));
        if (usesAudio && features is null) throw new ArgumentException($"the {config.Variant} baseline needs the corpus's log-mel feature cache", nameof(features));

        var (kept, skipped, droppedByLabel) = LabelledUtterances.Select(corpus, labelSet, usesAudio ? features : null, $"the {config.Variant} baseline");

        var vocabulary = usesText ? Vocabulary.Build(kept[DataSplit.Train].Select(i => i.Utterance.Text), speakerTokens: 0) : null;
        var withStd = config.Audio.Pooling == AudioEncoderConfig.MeanStdPooling;
        var tensors = new Dictionary<DataSplit, SplitTensors>();
        using (var scope = torch.NewDisposeScope())
        {
            Tensor? mean = null, std = null;
            foreach (var split in new[] { DataSplit.Train, DataSplit.Validation, DataSplit.Test })
            {
                var items = kept[split];
                var targets = torch.tensor(items.Select(i => (long)i.Label).ToArray());
                var tokens = vocabulary is null ? null : PaddedBatch.Tokens(items.Select(i => vocabulary.Encode(i.Utterance.Text)).ToArray(), config.Text.MaxTokens, vocabulary.UnknownId);
                Tensor? audio = null;
                if (usesAudio)
                {
                    var pooled = torch.stack(items.Select(i => Pool(features!, i.Utterance.Key, withStd)).ToArray());
                    // Statistics from the train split only, applied to every split.
                    mean ??= pooled.mean(0, keepdim: true);
                    std ??= pooled.std(0, keepdim: true).clamp(min: 1e-3);
                    audio = (pooled - mean) / std;
                }
                tensors[split] = new SplitTensors(items.Select(i => i.Utterance.Key).ToArray(), targets.DetachFromDisposeScope(),
                    tokens?.DetachFromDisposeScope(), audio?.DetachFromDisposeScope());
            }
        }
        return new BaselinesDataset(labelSet, vocabulary, usesAudio ? (withStd ? 2 : 1) * features!.Dimensions : 0, tensors, skipped, droppedByLabel);
    }

    // Mean (and population standard deviation) of each mel bin over the utterance's frames.
    private static Tensor Pool(FeatureCache features, string key, bool withStd)
    {
        var frames = features.Get(key);
        var x = torch.tensor(frames.Values, [frames.Frames, frames.Dimensions]);
        var mean = x.mean(0);
        return withStd ? torch.cat([mean, (x - mean).square().mean(0).sqrt()]) : mean;
    }

    public void Dispose()
    {
        foreach (var s in splits.Values)
        {
            s.Targets.Dispose();
            s.Tokens?.Dispose();
            s.Audio?.Dispose();
        }
    }

    private sealed record SplitTensors(IReadOnlyList<string> Keys, Tensor Targets, Tensor? Tokens, Tensor? Audio);
}
