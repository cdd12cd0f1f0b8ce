using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Tests.Training;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;
using Xunit.Abstractions;

namespace EmotionLab.Models.Tests.Families;

[Collection(EmoSynthTrainingCollection.Name)]
public sealed class BaselinesTests(EmoSynthTrainingCorpus fixture, ITestOutputHelper output)
{
    private static ExperimentSpec Spec(string variant, string textEncoder = TextEncoderConfig.MeanEncoder) => new()
    {
        Corpus = "emosynth",
        LabelSet = "meld7",
        Modalities = BaselinesConfig.ModalitiesOf(variant),
        Seed = 1,
        Epochs = 25,
        BatchSize = 32,
        LearningRate = 3e-3,
        Patience = 5,
        Baselines = new BaselinesConfig { Variant = variant, HiddenSize = 64, Text = new TextEncoderConfig { Encoder = textEncoder } },
    };

    private (TrainingOutcome Outcome, BaselinesDataset Data) Train(ExperimentSpec spec)
    {
        Assert.Empty(ExperimentSpecValidator.Validate(spec));
        var data = BaselinesDataset.Build(fixture.Corpus, LabelSets.ByName(spec.LabelSet), spec.Baselines!, fixture.Features);
        var outcome = Trainer.Run(spec, data, () => data.CreateModel(spec.Baselines!), fixture.NewRunFolder(spec.Baselines!.Variant), new RecordingSink());
        return (outcome, data);
    }

    [Fact]
    public void Concat_late_fusion_beats_the_majority_class_on_test_weighted_f1()
    {
        var results = new Dictionary<string, TrainingOutcome>();
        BaselinesDataset? concatData = null;
        foreach (var variant in BaselinesConfig.Variants)
        {
            var (outcome, data) = Train(Spec(variant));
            results[variant] = outcome;
            if (variant == BaselinesConfig.ConcatVariant) concatData = data;
            else data.Dispose();
        }
        using var _ = concatData;

        // The majority class of the train split, predicted for every test utterance.
        var trainTargets = Targets(concatData!, DataSplit.Train);
        var testTargets = Targets(concatData!, DataSplit.Test);
        var (majority, majorityF1) = MajorityClass.Score(concatData!.Labels, trainTargets, testTargets);

        output.WriteLine($"test split ({testTargets.Length} utterances), weighted F1 at the best validation epoch:");
        output.WriteLine($"  majority ({concatData.Labels[(int)majority]}) {majorityF1:F3}");
        foreach (var (variant, outcome) in results)
            output.WriteLine($"  {variant,-6} {outcome.TestAtBestEpoch!.Scores.WeightedF1:F3} (WA {outcome.TestAtBestEpoch.Scores.WA:F3}, UA {outcome.TestAtBestEpoch.Scores.UA:F3}; best epoch {outcome.BestEpoch} of {outcome.EpochsCompleted}, {outcome.Status})");

        var concat = results[BaselinesConfig.ConcatVariant].TestAtBestEpoch!.Scores.WeightedF1;
        Assert.True(concat > majorityF1 + 0.15, $"concat {concat:F3} vs majority {majorityF1:F3}");
        Assert.True(results[BaselinesConfig.TextVariant].TestAtBestEpoch!.Scores.WeightedF1 > majorityF1, "text alone beats the majority class");
        Assert.True(results[BaselinesConfig.AudioVariant].TestAtBestEpoch!.Scores.WeightedF1 > majorityF1, "audio alone beats the majority class");
    }

    private static long[] Targets(BaselinesDataset data, DataSplit split)
    {
        using var scope = torch.NewDisposeScope();
        return data.Batch(split, torch.arange(data.Count(split))).Targets.data<long>();
    }

    [Fact]
    public void Each_variant_reads_only_its_modalities_and_the_dataset_uses_the_train_vocabulary()
    {
        using var text = BaselinesDataset.Build(fixture.Corpus, LabelSets.Meld4, Spec("text").Baselines!, features: null);
        using var audio = BaselinesDataset.Build(fixture.Corpus, LabelSets.Meld4, Spec("audio").Baselines! with { Audio = new AudioEncoderConfig { Pooling = AudioEncoderConfig.MeanPooling } }, fixture.Features);
        using var scope = torch.NewDisposeScope();

        var (textBatch, _) = text.Batch(DataSplit.Test, torch.arange(4));
        Assert.NotNull(textBatch.Tokens);
        Assert.Null(textBatch.Audio);
        var (audioBatch, _) = audio.Batch(DataSplit.Test, torch.arange(4));
        Assert.Null(audioBatch.Tokens);
        Assert.Equal([4L, fixture.Features.Dimensions], audioBatch.Audio!.shape);

        // meld4 drops surprise, fear and disgust; whatever is left has a label of the set.
        var meld4Items = fixture.Corpus.Utterances.Count(u => LabelSets.Meld4.IndexOf(u) >= 0);
        Assert.Equal(meld4Items, Enum.GetValues<DataSplit>().Sum(text.Count));
        Assert.Equal(fixture.Corpus.Utterances.Count - meld4Items, text.DroppedByLabel);

        // Words seen only outside the train split are unknown to the model.
        var trainWords = fixture.Corpus.Utterances.Where(u => u.Split == "train").SelectMany(u => EmotionLab.Models.Text.WordTokenizer.Tokenize(u.Text)).ToHashSet();
        Assert.All(text.Vocabulary!.Tokens.Skip(2), w => Assert.Contains(w, trainWords));
    }

    [Fact]
    public void The_transformer_text_encoder_is_a_different_computation_that_trains()
    {
        var spec = Spec("text", TextEncoderConfig.TransformerEncoder) with { Epochs = 2 };
        var (outcome, data) = Train(spec);
        using var _ = data;
        using var mean = data.CreateModel(Spec("text").Baselines!);
        using var transformer = data.CreateModel(spec.Baselines!);
        Assert.DoesNotContain(mean.state_dict().Keys, k => k.StartsWith("text.layer."));
        Assert.Contains(transformer.state_dict().Keys, k => k.StartsWith("text.layer.self_attn."));
        Assert.Equal(2, outcome.EpochsCompleted);
        Assert.True(outcome.BestValidation!.Scores.WeightedF1 > 0);
    }
}
