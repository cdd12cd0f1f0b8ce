using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Families.Eaa;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Tests.Training;
using EmotionLab.Models.Training;
using System.Text.Json;
using EmotionLab.Models.Torch;
using Xunit.Abstractions;

namespace EmotionLab.Models.Tests.Families.Eaa;

/// <summary>EAA end to end on EmoSynth over tiny random HuBERT, BEATs and LLaMA folders, as `models tiny` writes them.</summary>
[Collection(EmoSynthTrainingCollection.Name)]
public sealed class EaaLearningTests(EmoSynthTrainingCorpus fixture, ITestOutputHelper output)
{
    internal static EaaConfig TinyConfig => new()
    {
        Semantic = new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "tiny-hubert", MaxLength = 150 },
        Acoustic = new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "tiny-beats", MaxLength = 150 },
        TrainableLayers = 1,
        FusionSize = 32,
        AudioStride = 10,
        // The paper's r 2 on q/v adapts a trained LLaMA; a random tiny LLM needs more room to learn to answer.
        LoraRank = 8,
        LoraTargets = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
        Llm = "tiny-llama",
    };

    internal static ExperimentSpec Spec(EaaConfig config, int seed = 1, int epochs = 8) => new()
    {
        Family = FamilyCatalog.Eaa, Corpus = "emosynth", LabelSet = "meld7", Modalities = Modalities.TextAudio, Seed = seed, Epochs = epochs,
        BatchSize = 4, Optimizer = OptimizerNames.AdamW, LearningRate = 3e-3, WeightDecay = 1e-4, Patience = 8, Eaa = config,
    };

    /// <summary>Tiny random-weight HuBERT, BEATs and LLaMA folders (the LLaMA tokenizer covers the corpus' words and the label words).</summary>
    internal static string Artifacts(EmoSynthTrainingCorpus fixture, string name)
    {
        var artifacts = Path.Combine(fixture.Root, name);
        if (Directory.Exists(Path.Combine(artifacts, "models"))) return artifacts;
        TinyModelWriter.Write("hubert", Path.Combine(artifacts, "models", "tiny-hubert"), [], seed: 1);
        TinyModelWriter.Write("beats", Path.Combine(artifacts, "models", "tiny-beats"), [], seed: 2);
        TinyModelWriter.Write("llama", Path.Combine(artifacts, "models", "tiny-llama"), fixture.Corpus.Utterances.Select(u => u.Text), seed: 3);
        return artifacts;
    }

    internal static (TrainingOutcome Outcome, string Log, RecordingSink Sink) Train(EmoSynthTrainingCorpus fixture, ExperimentSpec spec, string artifacts, string name)
    {
        var log = new StringWriter();
        var sink = new RecordingSink();
        var outcome = FamilyCatalog.Find(FamilyCatalog.Eaa)!.Trainer!.Train(new FamilyRunContext(spec, fixture.Corpus, artifacts,
            fixture.NewRunFolder(name), sink, new TrainerOptions(), log));
        return (outcome, log.ToString(), sink);
    }

    // The learning setting: the current transcript as context (Table 3's middle row) and the fused
    // audio averaged into a few embeddings (a random tiny LLM attends nearly uniformly, so fewer
    // prompt positions dilute each informative one less), adapters without dropout, 3e-3 warmed up
    // and decayed by cosine over 12 epochs. Seeds 1, 2 and 3 reached test weighted F1 0.47, 0.36
    // and 0.36 here against the majority class's 0.27; 1e-2 flipped between constant answers and
    // ended near the majority, and 1e-3 had not left it after 12 epochs.
    internal static ExperimentSpec LearningSpec(int seed = 1) => Spec(TinyConfig with
    {
        Context = EaaConfig.CurrentContext, AudioStride = 30, LoraDropout = 0, Dropout = 0,
    }, seed, epochs: 12) with { LearningRate = 3e-3, Schedule = LearningRateSchedules.WarmupCosine, Patience = 12 };

    [Fact]
    public void Eaa_over_tiny_hubert_beats_and_llama_learns_to_answer_with_labels()
    {
        var artifacts = Artifacts(fixture, "artifacts-eaa");
        var spec = LearningSpec();
        Assert.Empty(ExperimentSpecValidator.Validate(spec));
        var started = DateTime.UtcNow;
        var (outcome, log, sink) = Train(fixture, spec, artifacts, "eaa-learning");
        output.WriteLine(log);
        var before = sink.Starts[0].BeforeTraining!;
        output.WriteLine($"before training: validation WF1 {before.Scores.WeightedF1:F3}, unparsed {before.Unparsed} of {before.Items}");
        var epochLoss = sink.Epochs.Select(e => sink.Steps.Where(s => s.Epoch == e.Epoch).Average(s => s.Loss)).ToArray();
        foreach (var epoch in sink.Epochs)
            output.WriteLine($"epoch {epoch.Epoch}: train loss {epochLoss[epoch.Epoch - 1]:F3}, train WF1 {epoch[DataSplit.Train].Scores.WeightedF1:F3}, " +
                             $"validation WF1 {epoch[DataSplit.Validation].Scores.WeightedF1:F3}, unparsed {epoch[DataSplit.Validation].Unparsed}, " +
                             $"test WF1 {epoch[DataSplit.Test].Scores.WeightedF1:F3}");

        var usable = fixture.Corpus.Utterances.Where(u => u.AudioOk && LabelSets.Meld7.IndexOf(u) >= 0).ToArray();
        var majority = MajorityClass.Score(LabelSets.Meld7.Labels, usable.Where(u => u.Split == "train").Select(u => (long)LabelSets.Meld7.IndexOf(u)),
            usable.Where(u => u.Split == "test").Select(u => (long)LabelSets.Meld7.IndexOf(u)).ToArray()).WeightedF1;
        output.WriteLine($"EAA over tiny HuBERT + BEATs + LLaMA: test weighted F1 {outcome.TestAtBestEpoch!.Scores.WeightedF1:F3} " +
                         $"(best epoch {outcome.BestEpoch} of {outcome.EpochsCompleted}); majority {majority:F3}; {(DateTime.UtcNow - started).TotalSeconds:F0} s");

        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        Assert.Matches("semantic features: hubert-l1, (extracted|read from the cache)", log);  // the checkpoint test may have extracted them
        Assert.Matches("acoustic features: beats-l1, (extracted|read from the cache)", log);
        Assert.Matches(@"parameters: [\d,]+ total, [\d,]+ trainable", log);
        Assert.Contains("peak resident memory", log);
        Assert.True(epochLoss[^1] < epochLoss[0] / 2, $"answer loss per token: first epoch {epochLoss[0]:F3}, last {epochLoss[^1]:F3}");
        // The untuned LLM answers in words of no label; the tuned one answers with labels.
        var after = sink.Epochs[^1][DataSplit.Validation];
        Assert.True(before.Unparsed > before.Items / 2, $"the untuned LLM answered {before.Items - before.Unparsed} of {before.Items} validation items with a label");
        Assert.True(after.Unparsed < before.Items / 4, $"unparsed validation answers: {before.Unparsed} before training, {after.Unparsed} after");
        Assert.True(outcome.TestAtBestEpoch.Scores.WeightedF1 > majority + 0.03,
            $"test weighted F1 {outcome.TestAtBestEpoch.Scores.WeightedF1:F3} against the majority class's {majority:F3}");
    }

    // A checkpoint keeps what trains (adapters, fusion, projector, the tuned encoder layers) and
    // the base folders' fingerprints, not the frozen LLM; resuming from it ends exactly as an
    // uninterrupted run.
    [Fact]
    public void Checkpoints_hold_only_trained_weights_and_a_resumed_run_ends_bit_identically()
    {
        var artifacts = Artifacts(fixture, "artifacts-eaa");
        var spec = Spec(TinyConfig, epochs: 2) with { Schedule = LearningRateSchedules.WarmupCosine };
        var whole = Train(fixture, spec, artifacts, "eaa-whole");

        var folder = fixture.NewRunFolder("eaa-resumed");
        var (interrupted, resumed) = (new RecordingSink(), new RecordingSink());
        var context = (RecordingSink sink, TrainerOptions options) => new FamilyRunContext(spec, fixture.Corpus, artifacts, folder, sink, options, new StringWriter());
        var trainer = FamilyCatalog.Find(FamilyCatalog.Eaa)!.Trainer!;
        Assert.Equal(TrainingStatus.Canceled, trainer.Train(context(interrupted, new TrainerOptions { CancelRequested = () => interrupted.Epochs.Count == 1 })).Status);

        var checkpoint = Path.Combine(folder, "checkpoints", "epoch-0001", Checkpoint.ModelFile);
        var (tensors, metadata) = Safetensors.Load(checkpoint);
        var names = tensors.Keys.ToList();
        foreach (var t in tensors.Values) t.Dispose();
        Assert.Contains(names, n => n.StartsWith("llm.", StringComparison.Ordinal) && n.Contains(".lora_A."));
        Assert.Contains(names, n => n.StartsWith("fusion.", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("projector.", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("semantic.encoder.", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("llm.", StringComparison.Ordinal) && !n.Contains(".lora_"));
        Assert.Equal(ModelFolder.Open(Path.Combine(artifacts, "models", "tiny-llama")).Fingerprint(), metadata["base.llm"].Split(' ')[0]);
        Assert.True(new FileInfo(checkpoint).Length < 0.5 * new FileInfo(Path.Combine(artifacts, "models", "tiny-llama", ModelFolder.WeightsFile)).Length,
            "the checkpoint is smaller than the LLM alone");

        Assert.Equal(TrainingStatus.Completed, trainer.Train(context(resumed, new TrainerOptions())).Status);
        Assert.Equal(1, resumed.Starts[0].ResumedAfterEpoch);
        Assert.Equal(whole.Sink.Steps.Skip(interrupted.Steps.Count), resumed.Steps);
        Assert.Equal(JsonSerializer.Serialize(whole.Sink.Epochs[1].Splits), JsonSerializer.Serialize(resumed.Epochs[0].Splits));
    }
}
