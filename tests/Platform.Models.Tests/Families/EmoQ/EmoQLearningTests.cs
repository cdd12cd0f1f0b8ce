using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Families.EmoQ;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Tests.Training;
using EmotionLab.Models.Training;
using Xunit.Abstractions;

namespace EmotionLab.Models.Tests.Families.EmoQ;

/// <summary>EmoQ end to end on EmoSynth over tiny random HuBERT, RoBERTa and Qwen2 folders, as `models tiny` writes them.</summary>
[Collection(EmoSynthTrainingCollection.Name)]
public sealed class EmoQLearningTests(EmoSynthTrainingCorpus fixture, ITestOutputHelper output)
{
    internal static EmoQConfig TinyConfig => new()
    {
        Audio = new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "tiny-hubert", MaxLength = 150 },
        Former = new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "tiny-roberta", MaxLength = 48 },
        Queries = 8,
        PoolingHeads = 2,
        AuxiliaryHiddenSize = 32,
        Stage1Epochs = 10,
        Stage1LearningRate = 3e-3,
        // The paper's r 16 on q/v adapts a trained Qwen2; a random tiny LLM needs more room to learn to answer.
        LoraRank = 8,
        LoraTargets = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
        LoraDropout = 0,
        Dropout = 0,
        Llm = "tiny-qwen2",
    };

    internal static ExperimentSpec Spec(EmoQConfig config, int seed = 1, int epochs = 6) => new()
    {
        Family = FamilyCatalog.EmoQ, Corpus = "emosynth", LabelSet = "meld7", Modalities = EmoQConfig.ModalitiesOf(config.Input), Seed = seed, Epochs = epochs,
        BatchSize = 4, Optimizer = OptimizerNames.AdamW, LearningRate = 3e-3, WeightDecay = 1e-4, Patience = 12,
        Schedule = LearningRateSchedules.WarmupCosine, EmoQ = config,
    };

    /// <summary>Tiny random-weight HuBERT, RoBERTa and Qwen2 folders (the tokenizers cover the corpus' words and the label words).</summary>
    internal static string Artifacts(EmoSynthTrainingCorpus fixture, string name)
    {
        var artifacts = Path.Combine(fixture.Root, name);
        if (Directory.Exists(Path.Combine(artifacts, "models"))) return artifacts;
        var texts = fixture.Corpus.Utterances.Select(u => u.Text).ToArray();
        TinyModelWriter.Write("hubert", Path.Combine(artifacts, "models", "tiny-hubert"), [], seed: 1);
        TinyModelWriter.Write("roberta", Path.Combine(artifacts, "models", "tiny-roberta"), texts, seed: 2);
        TinyModelWriter.Write("qwen2", Path.Combine(artifacts, "models", "tiny-qwen2"), texts, seed: 3);
        return artifacts;
    }

    internal static (TrainingOutcome Outcome, string Log, RecordingSink Sink) Train(EmoSynthTrainingCorpus fixture, ExperimentSpec spec, string artifacts, string name, string? runFolder = null)
    {
        var log = new StringWriter();
        var sink = new RecordingSink();
        var outcome = FamilyCatalog.Find(FamilyCatalog.EmoQ)!.Trainer!.Train(new FamilyRunContext(spec, fixture.Corpus, artifacts,
            runFolder ?? fixture.NewRunFolder(name), sink, new TrainerOptions(), log));
        return (outcome, log.ToString(), sink);
    }

    internal static double Majority(EmoSynthTrainingCorpus fixture)
    {
        var usable = fixture.Corpus.Utterances.Where(u => u.AudioOk && LabelSets.Meld7.IndexOf(u) >= 0).ToArray();
        return MajorityClass.Score(LabelSets.Meld7.Labels, usable.Where(u => u.Split == "train").Select(u => (long)LabelSets.Meld7.IndexOf(u)),
            usable.Where(u => u.Split == "test").Select(u => (long)LabelSets.Meld7.IndexOf(u)).ToArray()).WeightedF1;
    }

    // The learning setting: stage 1 on focal loss without SCL (over a random tiny former the fused
    // vectors start nearly identical, and SCL at the paper's τ 0.07 held stage 1 at the majority
    // class for all 10 epochs here, while focal loss alone left it by epoch 6), 3e-3 warmed up and
    // decayed by cosine in both stages, batch 4, no dropout, stage 2 for 8 epochs. Seed 1 reached
    // test weighted F1 0.38 after stage 1 and 0.43 after stage 2 here, against the majority's 0.27.
    internal static ExperimentSpec LearningSpec(int seed = 1) => Spec(TinyConfig with { Scl = false }, seed, epochs: 8);

    [Fact]
    public void EmoQ_over_tiny_hubert_roberta_and_qwen2_learns_in_both_stages()
    {
        var artifacts = Artifacts(fixture, "artifacts-emoq");
        var spec = LearningSpec();
        Assert.Empty(ExperimentSpecValidator.Validate(spec));
        var started = DateTime.UtcNow;
        var runFolder = fixture.NewRunFolder("emoq-learning");
        var (outcome, log, sink) = Train(fixture, spec, artifacts, "emoq-learning", runFolder);
        output.WriteLine(log);
        foreach (var epoch in sink.Epochs)
            output.WriteLine($"epoch {epoch.Epoch}: train loss {sink.Steps.Where(s => s.Epoch == epoch.Epoch).Average(s => s.Loss):F3}, train WF1 {epoch[DataSplit.Train].Scores.WeightedF1:F3}, " +
                             $"validation WF1 {epoch[DataSplit.Validation].Scores.WeightedF1:F3}, test WF1 {epoch[DataSplit.Test].Scores.WeightedF1:F3}");
        var majority = Majority(fixture);
        var stage1 = sink.Epochs.Take(TinyConfig.Stage1Epochs).MaxBy(e => e[DataSplit.Validation].Scores.WeightedF1)!;
        output.WriteLine($"EmoQ: stage 1 test WF1 {stage1[DataSplit.Test].Scores.WeightedF1:F3}, full model {outcome.TestAtBestEpoch!.Scores.WeightedF1:F3} " +
                         $"(best epoch {outcome.BestEpoch} of {outcome.EpochsCompleted}); majority {majority:F3}; {(DateTime.UtcNow - started).TotalSeconds:F0} s");

        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        Assert.Contains("stage 1: the bridge and the auxiliary head on MAL", log);
        Assert.Contains("stage 2: from stage 1's bridge", log);
        // Stage 2's epochs and steps follow stage 1's in the run's curves.
        Assert.Equal(Enumerable.Range(1, TinyConfig.Stage1Epochs + spec.Epochs), sink.Epochs.Select(e => e.Epoch));
        Assert.Equal(Enumerable.Range(1, sink.Steps.Count).Select(s => (long)s), sink.Steps.Select(s => s.Step));
        Assert.True(outcome.BestEpoch > TinyConfig.Stage1Epochs, "the run's result is stage 2's");
        // Stage 1 leaves the majority class: its best validation score is clearly above its first
        // epoch's (where every item gets the majority label) and its test score above the majority's.
        // How far it gets in 10 epochs depends on the CPU's kernels: test 0.38 on the machine this was
        // written on, 0.29 on an AMD EPYC (validation 0.19 from 0.12), the same on every run of each.
        var firstValidation = sink.Epochs[0][DataSplit.Validation].Scores.WeightedF1;
        Assert.True(stage1[DataSplit.Validation].Scores.WeightedF1 > firstValidation + 0.05,
            $"stage 1's best validation weighted F1 {stage1[DataSplit.Validation].Scores.WeightedF1:F3} against its first epoch's {firstValidation:F3}");
        Assert.True(stage1[DataSplit.Test].Scores.WeightedF1 > majority, $"stage 1's test weighted F1 {stage1[DataSplit.Test].Scores.WeightedF1:F3} against the majority class's {majority:F3}");
        // The stored predictions are the restricted softmax's: a distribution over the labels whose argmax is the predicted label.
        var lines = File.ReadAllLines(PredictionsCsv.PathIn(runFolder, DataSplit.Test));
        var header = lines[0].Split(',');
        var probabilities = Enumerable.Range(0, header.Length).Where(i => header[i].StartsWith("p_", StringComparison.Ordinal)).ToArray();
        Assert.Equal(7, probabilities.Length);
        foreach (var row in lines.Skip(1).Select(l => l.Split(',')))
        {
            var p = probabilities.Select(i => double.Parse(row[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, p.Sum(), 3);
            Assert.Equal(header[probabilities[Array.IndexOf(p, p.Max())]][2..], row[Array.IndexOf(header, "predicted")]);
        }
        Assert.True(outcome.TestAtBestEpoch.Scores.WeightedF1 > majority + 0.03, $"test weighted F1 {outcome.TestAtBestEpoch.Scores.WeightedF1:F3} against the majority class's {majority:F3}");
    }

    // Variants that differ only in stage 2 share stage 1: the first run trains it, the second loads
    // the first's best checkpoint and says so; stage 1 off trains end to end.
    [Fact]
    public void Variants_over_one_stage1_spec_train_stage1_once_and_say_whose_checkpoint_they_reuse()
    {
        var artifacts = Artifacts(fixture, "artifacts-emoq");
        var first = Spec(TinyConfig with { Stage1Epochs = 1, Queries = 4 }, seed: 7, epochs: 1);
        var second = first with { EmoQ = first.EmoQ! with { LoraRank = 4, EmotionWordWeight = 3 } };
        var endToEnd = first with { EmoQ = first.EmoQ! with { Stage1 = false } };
        (TrainingOutcome Outcome, string Log, RecordingSink Sink) Run(ExperimentSpec spec, string name)
        {
            var log = new StringWriter();
            var sink = new RecordingSink();
            var outcome = FamilyCatalog.Find(FamilyCatalog.EmoQ)!.Trainer!.Train(new FamilyRunContext(spec, fixture.Corpus, artifacts,
                fixture.NewRunFolder(name), sink, new TrainerOptions { RunName = name }, log));
            return (outcome, log.ToString(), sink);
        }

        var a = Run(first, "run a");
        Assert.Contains("stage 1: the bridge and the auxiliary head on MAL", a.Log);
        Assert.Equal([1, 2], a.Sink.Epochs.Select(e => e.Epoch));

        var b = Run(second, "run b");
        Assert.Matches(@"stage 1: reusing run a's stage-1 checkpoint \S+epoch-0001 \(best epoch 1 of 1", b.Log);
        Assert.DoesNotContain("stage 1: the bridge", b.Log);
        Assert.Equal([1], b.Sink.Epochs.Select(e => e.Epoch));
        Assert.Equal(TrainingStatus.Completed, b.Outcome.Status);

        var c = Run(endToEnd, "run c");
        Assert.DoesNotContain("stage 1:", c.Log);
        Assert.Contains("stage 2: end to end", c.Log);
        Assert.Equal([1], c.Sink.Epochs.Select(e => e.Epoch));
    }
}
