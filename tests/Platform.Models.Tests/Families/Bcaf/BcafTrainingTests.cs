using System.Diagnostics;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Families.Bcaf;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Tests.Training;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;
using Xunit.Abstractions;

namespace EmotionLab.Models.Tests.Families.Bcaf;

[Collection(EmoSynthTrainingCollection.Name)]
public sealed class BcafTrainingTests(EmoSynthTrainingCorpus fixture, ITestOutputHelper output)
{
    [Fact]
    public void The_dataset_pads_each_batch_uses_the_train_vocabulary_and_standardises_frames_with_train_statistics()
    {
        var config = new BcafConfig();
        var data = BcafDataset.Build(fixture.Corpus, LabelSets.Meld7, config, fixture.Features);
        using (data)
        {
            Assert.Equal(fixture.Corpus.Utterances.Count, Enum.GetValues<DataSplit>().Sum(data.Count) + data.Skipped.Count + data.DroppedByLabel);
            Assert.All(data.Skipped, s => Assert.False(fixture.Features.Contains(s.Key)));
            Assert.Equal(data.Keys(DataSplit.Test), fixture.Corpus.Utterances.Where(u => u.Split == "test" && fixture.Features.Contains(u.Key)).Select(u => u.Key));
            var trainWords = fixture.Corpus.Utterances.Where(u => u.Split == "train").SelectMany(u => EmotionLab.Models.Text.WordTokenizer.Tokenize(u.Text)).ToHashSet();
            Assert.All(data.Vocabulary.Tokens.Skip(2), w => Assert.Contains(w, trainWords));

            using var scope = torch.NewDisposeScope();
            // Two items: the batch is as long as the longer of them (cut at the slot's length), not the corpus's longest.
            var keys = data.Keys(DataSplit.Validation);
            var (batch, targets) = data.Batch(DataSplit.Validation, torch.tensor(new long[] { 0, 1 }));
            var frames = keys.Take(2).Select(k => Math.Min(fixture.Features.Get(k).Frames, config.Audio.MaxLength)).ToArray();
            Assert.Equal([2L, frames.Max(), fixture.Features.Dimensions], batch.Frames.shape);
            Assert.Equal(frames, batch.FramePadding.logical_not().sum(1).data<long>().Select(n => (int)n));
            Assert.Equal(0, batch.Frames.masked_fill(batch.FramePadding.logical_not().unsqueeze(2), 0).abs().sum().item());
            Assert.Equal(2, batch.Text.Tokens!.size(0));
            Assert.Equal(2, targets.size(0));

            // Over the train split the standardised frames have mean 0 and deviation 1 per mel bin.
            var train = data.Batch(DataSplit.Train, torch.arange(data.Count(DataSplit.Train))).Inputs;
            var real = train.FramePadding.logical_not().reshape(-1);
            var rows = train.Frames.reshape(-1, fixture.Features.Dimensions)[real];
            // Utterances longer than the slot's 600 frames are cut, so the statistics (over all frames) are close, not exact.
            Assert.True(rows.mean(0).abs().max().item() < 0.1, $"mean {rows.mean(0).abs().max().item()}");
            Assert.True((rows.std(0) - 1).abs().max().item() < 0.1, $"std {rows.std(0).abs().max().item()}");
        }
        // Disposed: its tensors (targets, statistics) are freed.
        using var after = torch.NewDisposeScope();
        Assert.Contains("disposed", Assert.Throws<TorchException>(() => data.Batch(DataSplit.Test, torch.arange(1))).Message);
    }

    [Fact]
    public void The_default_model_fits_one_batch_of_32()
    {
        using var data = BcafDataset.Build(fixture.Corpus, LabelSets.Meld7, new BcafConfig(), fixture.Features);
        torch.manual_seed(3);
        using var model = data.CreateModel(new BcafConfig());
        // 1e-3 rather than the paper's 1e-4, so that a few steps show the fit.
        using var optimizer = new torch.optim.Adam(model.parameters(), 1e-3, weight_decay: 1e-4);
        model.train();
        var losses = new List<double>();
        var (wall, cpu) = (new List<double>(), new List<double>());
        for (var step = 0; step < 10; step++)
        {
            var (clock, cpu0) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
            using var scope = torch.NewDisposeScope();
            var (inputs, targets) = data.Batch(DataSplit.Train, torch.arange(32));
            optimizer.zero_grad();
            var loss = model.TrainingLoss(inputs, targets);
            losses.Add(loss.item());
            loss.backward();
            optimizer.step();
            (wall, cpu) = ([.. wall, clock.Elapsed.TotalMilliseconds], [.. cpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds]);
        }
        static double Median(List<double> times) => times.Skip(2).Order().ElementAt((times.Count - 2) / 2);
        output.WriteLine($"default config, batch 32: {model.parameter_count():N0} parameters; per training step (batch building included, median of {wall.Count - 2}): " +
                         $"{Median(wall):F0} ms wall, {Median(cpu):F0} ms CPU, {torch.get_num_threads()} libtorch threads; loss {losses[0]:F3} -> {losses[^1]:F3}");
        Assert.True(losses[^1] < 0.6 * losses[0], $"loss {losses[0]:F3} -> {losses[^1]:F3}");
    }

    [Fact]
    public void Full_bcaf_beats_the_majority_class_and_the_text_baseline_on_test_weighted_f1()
    {
        // The text baseline, trained as in BaselinesTests.
        var textSpec = new ExperimentSpec
        {
            Corpus = "emosynth", LabelSet = "meld7", Modalities = Modalities.Text, Seed = 1, Epochs = 25, BatchSize = 32, LearningRate = 3e-3, Patience = 5,
            Baselines = new BaselinesConfig { Variant = BaselinesConfig.TextVariant, HiddenSize = 64 },
        };
        Assert.Empty(ExperimentSpecValidator.Validate(textSpec));
        TrainingOutcome text;
        using (var textData = BaselinesDataset.Build(fixture.Corpus, LabelSets.Meld7, textSpec.Baselines, features: null))
            text = Trainer.Run(textSpec, textData, () => textData.CreateModel(textSpec.Baselines), fixture.NewRunFolder("text"), new RecordingSink());

        // Full BCAF (all three networks, BAN attention, the paper's loss), through the family's trainer.
        // For one CPU core and ~300 training utterances it is smaller than the defaults (encoders 64
        // wide, audio positions of 8 frames, 2 BAN layers) and learns at 3e-3, not the paper's 1e-4,
        // which needs far more than 25 epochs here.
        var config = new BcafConfig
        {
            Text = new BcafConfig().Text with { Size = 64 },
            Audio = new BcafConfig().Audio with { Size = 64, FrameStride = 8 },
            Layers = 2,
        };
        var bcafSpec = new ExperimentSpec
        {
            Family = FamilyCatalog.Bcaf, Corpus = "emosynth", LabelSet = "meld7", Modalities = Modalities.TextAudio, Seed = 1, Epochs = 25, BatchSize = 32,
            LearningRate = 3e-3, WeightDecay = 1e-4, Patience = 8, Bcaf = config,
        };
        Assert.Empty(ExperimentSpecValidator.Validate(bcafSpec));
        var log = new StringWriter();
        var (clock, cpu0) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
        var bcaf = FamilyCatalog.Find(bcafSpec.Family)!.Trainer!.Train(new FamilyRunContext(bcafSpec, fixture.Corpus, Path.Combine(fixture.Root, "artifacts"),
            fixture.NewRunFolder("bcaf"), new RecordingSink(), new TrainerOptions(), log));
        var (wall, cpu) = (clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu0);

        // The majority class of the train split, predicted for every test utterance BCAF scores.
        var usable = fixture.Corpus.Utterances.Where(u => fixture.Features.Contains(u.Key) && LabelSets.Meld7.IndexOf(u) >= 0).ToArray();
        var testTargets = usable.Where(u => u.Split == "test").Select(u => (long)LabelSets.Meld7.IndexOf(u)).ToArray();
        var (majority, majorityF1) = MajorityClass.Score(LabelSets.Meld7.Labels,
            usable.Where(u => u.Split == "train").Select(u => (long)LabelSets.Meld7.IndexOf(u)), testTargets);

        var (textF1, bcafF1) = (text.TestAtBestEpoch!.Scores.WeightedF1, bcaf.TestAtBestEpoch!.Scores.WeightedF1);
        output.WriteLine($"test split ({testTargets.Length} utterances), weighted F1 at the best validation epoch:");
        output.WriteLine($"  majority ({LabelSets.Meld7.Labels[(int)majority]}) {majorityF1:F3}");
        output.WriteLine($"  text baseline {textF1:F3} (best epoch {text.BestEpoch} of {text.EpochsCompleted})");
        output.WriteLine($"  BCAF          {bcafF1:F3} (WA {bcaf.TestAtBestEpoch.Scores.WA:F3}; best epoch {bcaf.BestEpoch} of {bcaf.EpochsCompleted}, {bcaf.Status}; " +
                         $"{wall.TotalSeconds:F0} s wall, {cpu.TotalSeconds:F0} s CPU)");
        Assert.Equal(testTargets.Length, bcaf.TestAtBestEpoch.Items);
        Assert.True(bcafF1 > majorityF1 + 0.15, $"BCAF {bcafF1:F3} vs majority {majorityF1:F3}");
        Assert.True(bcafF1 > textF1, $"BCAF {bcafF1:F3} vs text baseline {textF1:F3}");
    }
}

[Collection(EmoSynthTrainingCollection.Name)]
public sealed class BcafPretrainedSlotTests(EmoSynthTrainingCorpus fixture, ITestOutputHelper output)
{
    private static readonly BcafConfig Config = new()
    {
        Text = new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "tiny-roberta", Size = 64, Layers = 1, Heads = 2, MaxLength = 64 },
        Audio = new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "tiny-hubert", Size = 64, Layers = 1, Heads = 2, MaxLength = 300, FrameStride = 4 },
        Layers = 2,
    };

    private static ExperimentSpec Spec(int seed, string precision = Precisions.Fp32) => new()
    {
        Family = FamilyCatalog.Bcaf, Corpus = "emosynth", LabelSet = "meld7", Modalities = Modalities.TextAudio, Seed = seed, Epochs = 20, BatchSize = 32,
        LearningRate = 3e-3, WeightDecay = 1e-4, Patience = 6, Bcaf = Config, Precision = precision,
    };

    // Tiny random-weight HuBERT and RoBERTa folders in HF's layout under the artifact root's models/,
    // as `models tiny` writes them; the RoBERTa tokenizer covers the corpus' words.
    private string Artifacts(string name)
    {
        var artifacts = Path.Combine(fixture.Root, name);
        TinyModelWriter.Write("hubert", Path.Combine(artifacts, "models", "tiny-hubert"), [], seed: 1);
        TinyModelWriter.Write("roberta", Path.Combine(artifacts, "models", "tiny-roberta"), fixture.Corpus.Utterances.Select(u => u.Text), seed: 2);
        return artifacts;
    }

    private (TrainingOutcome Outcome, string Log) Train(ExperimentSpec spec, string artifacts)
    {
        var log = new StringWriter();
        var outcome = FamilyCatalog.Find(FamilyCatalog.Bcaf)!.Trainer!.Train(new FamilyRunContext(spec, fixture.Corpus, artifacts,
            fixture.NewRunFolder($"bcaf-pretrained-{spec.Seed}-{spec.Precision}"), new RecordingSink(), new TrainerOptions(), log));
        return (outcome, log.ToString());
    }

    private double MajorityWeightedF1()
    {
        var usable = fixture.Corpus.Utterances.Where(u => u.AudioOk && LabelSets.Meld7.IndexOf(u) >= 0).ToArray();
        var testTargets = usable.Where(u => u.Split == "test").Select(u => (long)LabelSets.Meld7.IndexOf(u)).ToArray();
        return MajorityClass.Score(LabelSets.Meld7.Labels, usable.Where(u => u.Split == "train").Select(u => (long)LabelSets.Meld7.IndexOf(u)), testTargets).WeightedF1;
    }

    [Fact]
    public void Bf16_mixed_precision_learns_as_float32_does()
    {
        var artifacts = Artifacts("artifacts-bf16");
        var f1 = new Dictionary<string, double[]>();
        foreach (var precision in Precisions.All)
            f1[precision] = [.. new[] { 1, 2 }.Select(seed => Train(Spec(seed, precision), artifacts).Outcome.TestAtBestEpoch!.Scores.WeightedF1)];
        var majority = MajorityWeightedF1();
        // Seed noise: how far float32's own seeds land apart, at least 0.1. Weighted F1 over this
        // corpus' 34 test utterances moves in steps of about 0.03, and libtorch's bf16 kernels differ
        // by CPU: on the machines this ran on first bf16 landed within 0.05 of float32; on an AMD EPYC
        // with native AVX512-BF16, 0.082 under it (fp32 0.596 0.643, bf16 0.535 0.541) on every run.
        var noise = Math.Max(0.1, Math.Abs(f1[Precisions.Fp32][0] - f1[Precisions.Fp32][1]));
        output.WriteLine($"test weighted F1, seeds 1 and 2: fp32 {f1[Precisions.Fp32][0]:F3} {f1[Precisions.Fp32][1]:F3}, bf16 {f1[Precisions.Bf16][0]:F3} {f1[Precisions.Bf16][1]:F3}; majority {majority:F3}; seed noise {noise:F3}");
        Assert.All(f1[Precisions.Bf16], v => Assert.True(v > majority + 0.1, $"bf16 {v:F3} vs majority {majority:F3}"));
        Assert.True(Math.Abs(f1[Precisions.Bf16].Average() - f1[Precisions.Fp32].Average()) <= noise,
            $"bf16 mean {f1[Precisions.Bf16].Average():F3} vs fp32 mean {f1[Precisions.Fp32].Average():F3}: more than the seed noise {noise:F3} apart");
    }

    [Fact]
    public void Bcaf_with_pretrained_hubert_and_roberta_folders_learns_and_extracts_each_encoder_once()
    {
        var artifacts = Artifacts("artifacts-pretrained");
        Assert.Empty(ExperimentSpecValidator.Validate(Spec(1)));
        var runs = new[] { 1, 2 }.Select(seed => Train(Spec(seed), artifacts)).ToList();
        var (logs, outcomes) = (runs.Select(r => r.Log).ToList(), runs.Select(r => r.Outcome).ToList());

        // The first run extracts each frozen encoder's features; the second reads them from the cache.
        Assert.Contains("audio features: hubert-l2, extracted", logs[0]);
        Assert.Contains("text features: roberta-l2, extracted", logs[0]);
        Assert.Contains("audio features: hubert-l2, read from the cache", logs[1]);
        Assert.Contains("text features: roberta-l2, read from the cache", logs[1]);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(artifacts, "features")).Count(d => d.Contains("-hubert-l2-") || d.Contains("-roberta-l2-")));

        var majorityF1 = MajorityWeightedF1();
        foreach (var outcome in outcomes)
        {
            var f1 = outcome.TestAtBestEpoch!.Scores.WeightedF1;
            output.WriteLine($"BCAF over tiny HuBERT + RoBERTa: test weighted F1 {f1:F3} (best epoch {outcome.BestEpoch} of {outcome.EpochsCompleted}); majority {majorityF1:F3}");
            Assert.True(f1 > majorityF1 + 0.1, $"BCAF with pretrained slots {f1:F3} vs majority {majorityF1:F3}");
        }
    }
}
