using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Corpora.EmoSynth;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Families.Bcaf;
using EmotionLab.Models.Pretrained;
using EmotionLab.Worker.Training;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace EmotionLab.Worker.Tests;

/// <summary>An EmoSynth corpus generated on disk for a test class, removed after it.</summary>
public abstract class GeneratedEmoSynth(EmoSynthOptions options) : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("emosynth-on-disk-").FullName;
    public string Corpus => Path.Combine(Root, "emosynth");

    public Task InitializeAsync() => EmoSynthGenerator.GenerateAsync(Corpus, options);

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The trainer tests' EmoSynth: 60 short dialogues.</summary>
public sealed class EmoSynthOnDisk() : GeneratedEmoSynth(new EmoSynthOptions(60, Seed: 21) { MinTurns = 4, MaxTurns = 10 });

[Collection(nameof(ThrowawayPostgres))]
public sealed class RunTrainerTests(ThrowawayPostgres postgres, EmoSynthOnDisk emosynth, ITestOutputHelper output) : IClassFixture<EmoSynthOnDisk>
{
    private string Artifacts => Path.Combine(emosynth.Root, "artifacts");

    private async Task<long> QueueRunAsync(ExperimentSpec spec, bool cancelRequested = false)
    {
        await using var db = postgres.NewContext();
        var corpus = await db.Corpora.SingleOrDefaultAsync(c => c.SourcePath == emosynth.Corpus);
        if (corpus is null)
        {
            corpus = new Corpus { Name = "emosynth-" + Guid.NewGuid().ToString("N")[..8], Format = "emosynth", SourcePath = emosynth.Corpus, ContentHash = "-", ImportedAt = DateTimeOffset.UtcNow };
            db.Corpora.Add(corpus);
            await db.SaveChangesAsync();
        }
        var experiment = new Experiment
        {
            Name = spec.Baselines?.Variant ?? spec.Family, Family = spec.Family, CorpusId = corpus.Id, SpecJson = ExperimentSpecJson.Serialize(spec),
            SpecHash = ExperimentSpecJson.Hash(spec), CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync();
        var run = new Run
        {
            ExperimentId = experiment.Id, Family = spec.Family, CorpusId = corpus.Id, Seed = spec.Seed, Attempt = 1,
            QueuedAt = DateTimeOffset.UtcNow, CancelRequested = cancelRequested,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private static ExperimentSpec Concat(int epochs, double learningRate = 1e-3) => new()
    {
        Corpus = "emosynth", LabelSet = "meld7", Seed = 3, Epochs = epochs, BatchSize = 32, LearningRate = learningRate, Patience = 5,
        Baselines = new BaselinesConfig { Variant = "concat" },
    };

    [Fact]
    public async Task A_queued_concat_baseline_trains_to_succeeded_and_beats_the_majority_class()
    {
        var runId = await QueueRunAsync(Concat(epochs: 12));
        var status = await RunTrainer.RunAsync(postgres.ConnectionString, runId, Artifacts, new StringWriter());
        Assert.Equal(RunStatus.Succeeded, status);

        await using var db = postgres.NewContext();
        var run = await db.Runs.SingleAsync(r => r.Id == runId);
        Assert.NotNull(run.BestEpoch);
        Assert.Equal(1.0, run.Progress);
        Assert.NotNull(run.CorpusHash);
        var test = await db.EpochMetrics.SingleAsync(m => m.RunId == runId && m.Split == "test" && m.Epoch == run.BestEpoch);
        var matrix = await db.ConfusionMatrices.SingleAsync(m => m.RunId == runId && m.Split == "test" && m.Epoch == run.BestEpoch);
        var majorityF1 = MajorityClass.WeightedF1(matrix);
        output.WriteLine($"test weighted F1 at best epoch {run.BestEpoch}: {test.WeightedF1:F3}; majority class {majorityF1:F3}");
        Assert.True(test.WeightedF1 > majorityF1 + 0.1, $"concat {test.WeightedF1:F3} vs majority {majorityF1:F3}");
        Assert.True(await db.StepLosses.CountAsync(s => s.RunId == runId) > 0);
    }

    [Fact]
    public async Task A_grid_of_bcaf_runs_over_pretrained_folders_extracts_each_encoder_once_and_learns()
    {
        // The lab's folders under the artifact root's models/: tiny random-weight HuBERT and RoBERTa
        // as `models tiny --corpus` writes them.
        var texts = File.ReadAllLines(Path.Combine(emosynth.Corpus, "train_sent_emo.csv"));
        TinyModelWriter.Write("hubert", Path.Combine(Artifacts, "models", "tiny-hubert"), [], seed: 1);
        TinyModelWriter.Write("roberta", Path.Combine(Artifacts, "models", "tiny-roberta"), texts, seed: 2);
        var config = new BcafConfig
        {
            Text = new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "tiny-roberta", Size = 64, Layers = 1, Heads = 2, MaxLength = 64 },
            Audio = new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "tiny-hubert", Size = 64, Layers = 1, Heads = 2, MaxLength = 300 },
            Layers = 2,
        };
        var logs = new List<string>();
        foreach (var seed in new[] { 1, 2 })
        {
            var spec = new ExperimentSpec
            {
                Family = FamilyCatalog.Bcaf, Corpus = "emosynth", LabelSet = "meld7", Seed = seed, Epochs = 12, BatchSize = 32,
                LearningRate = 3e-3, WeightDecay = 1e-4, Patience = 5, Bcaf = config,
            };
            Assert.Empty(ExperimentSpecValidator.Validate(spec));
            var runId = await QueueRunAsync(spec);
            var log = new StringWriter();
            Assert.Equal(RunStatus.Succeeded, await RunTrainer.RunAsync(postgres.ConnectionString, runId, Artifacts, log));
            logs.Add(log.ToString());

            await using var db = postgres.NewContext();
            var run = await db.Runs.SingleAsync(r => r.Id == runId);
            var test = await db.EpochMetrics.SingleAsync(m => m.RunId == runId && m.Split == "test" && m.Epoch == run.BestEpoch);
            var matrix = await db.ConfusionMatrices.SingleAsync(m => m.RunId == runId && m.Split == "test" && m.Epoch == run.BestEpoch);
            var majorityF1 = MajorityClass.WeightedF1(matrix);
            output.WriteLine($"BCAF over tiny HuBERT + RoBERTa, seed {seed}: test weighted F1 {test.WeightedF1:F3} at epoch {run.BestEpoch}; majority class {majorityF1:F3}");
            Assert.True(test.WeightedF1 > majorityF1 + 0.1, $"seed {seed}: {test.WeightedF1:F3} vs majority {majorityF1:F3}");
        }
        Assert.Contains("audio features: hubert-l2, extracted", logs[0]);
        Assert.Contains("text features: roberta-l2, extracted", logs[0]);
        Assert.Contains("audio features: hubert-l2, read from the cache", logs[1]);
        Assert.Contains("text features: roberta-l2, read from the cache", logs[1]);
    }

    [Fact]
    public async Task A_diverging_run_fails_with_the_step_named_and_keeps_what_it_recorded()
    {
        var runId = await QueueRunAsync(Concat(epochs: 3, learningRate: 1e30));
        Assert.Equal(RunStatus.Failed, await RunTrainer.RunAsync(postgres.ConnectionString, runId, Artifacts, new StringWriter()));
        await using var db = postgres.NewContext();
        var run = await db.Runs.SingleAsync(r => r.Id == runId);
        Assert.Contains($"run {runId}", run.Error);
        Assert.Contains("step", run.Error);
        Assert.NotNull(run.FinishedAt);
        // The steps before the loss went NaN are kept, though the sink had not flushed them yet.
        var failedAt = int.Parse(System.Text.RegularExpressions.Regex.Match(run.Error!, @"step (\d+)").Groups[1].Value);
        Assert.Equal(failedAt - 1, await db.StepLosses.CountAsync(s => s.RunId == runId));
    }

    [Fact]
    public async Task A_run_whose_cancel_flag_is_set_ends_canceled()
    {
        var runId = await QueueRunAsync(Concat(epochs: 50), cancelRequested: true);
        Assert.Equal(RunStatus.Canceled, await RunTrainer.RunAsync(postgres.ConnectionString, runId, Artifacts, new StringWriter()));
        await using var db = postgres.NewContext();
        Assert.True(await db.StepLosses.CountAsync(s => s.RunId == runId) <= 5, "the trainer checks the flag every 5 steps");
        Assert.Equal(0.0, (await db.Runs.SingleAsync(r => r.Id == runId)).Progress); // not a full bar: it stopped before its first epoch ended
    }
}
