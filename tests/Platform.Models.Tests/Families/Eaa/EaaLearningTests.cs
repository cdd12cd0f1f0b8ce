using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Families.Eaa;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Tests.Training;
using EmotionLab.Models.Training;
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

    // Beating the majority class on CPU is not reached yet: over a random tiny LLM the answers first
    // collapse to the label prior and depend on the input only slowly (15 epochs: test weighted F1
    // 0.35 against a majority of 0.27, unstable). What is asserted here is the pipeline end to end
    // through the platform's trainer with every part learning: the answer-token loss falls.
    [Fact]
    public void Eaa_over_tiny_hubert_beats_and_llama_trains_end_to_end_and_its_answer_loss_falls()
    {
        var artifacts = Artifacts(fixture, "artifacts-eaa");
        var spec = Spec(TinyConfig);
        Assert.Empty(ExperimentSpecValidator.Validate(spec));
        var started = DateTime.UtcNow;
        var (outcome, log, sink) = Train(fixture, spec, artifacts, "eaa-learning");
        output.WriteLine(log);
        var epochLoss = sink.Epochs.Select(e => sink.Steps.Where(s => s.Epoch == e.Epoch).Average(s => s.Loss)).ToArray();
        foreach (var epoch in sink.Epochs)
            output.WriteLine($"epoch {epoch.Epoch}: train loss {epochLoss[epoch.Epoch - 1]:F3}, " +
                             $"train WF1 {epoch[DataSplit.Train].Scores.WeightedF1:F3}, validation WF1 {epoch[DataSplit.Validation].Scores.WeightedF1:F3}");

        var usable = fixture.Corpus.Utterances.Where(u => u.AudioOk && LabelSets.Meld7.IndexOf(u) >= 0).ToArray();
        var majority = MajorityClass.Score(LabelSets.Meld7.Labels, usable.Where(u => u.Split == "train").Select(u => (long)LabelSets.Meld7.IndexOf(u)),
            usable.Where(u => u.Split == "test").Select(u => (long)LabelSets.Meld7.IndexOf(u)).ToArray()).WeightedF1;
        output.WriteLine($"EAA over tiny HuBERT + BEATs + LLaMA: test weighted F1 {outcome.TestAtBestEpoch!.Scores.WeightedF1:F3} " +
                         $"(best epoch {outcome.BestEpoch} of {outcome.EpochsCompleted}); majority {majority:F3}; {(DateTime.UtcNow - started).TotalSeconds:F0} s");

        Assert.Equal(TrainingStatus.Completed, outcome.Status);
        Assert.Contains("semantic features: hubert-l1, extracted", log);
        Assert.Contains("acoustic features: beats-l1, extracted", log);
        Assert.Matches(@"parameters: [\d,]+ total, [\d,]+ trainable", log);
        Assert.Contains("peak resident memory", log);
        Assert.True(epochLoss[^1] < epochLoss[0] / 2, $"answer loss per token: first epoch {epochLoss[0]:F3}, last {epochLoss[^1]:F3}");
    }
}
