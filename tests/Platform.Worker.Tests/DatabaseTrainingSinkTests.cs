using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Training;
using EmotionLab.Worker.Training;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EmotionLab.Worker.Tests;

[Collection(nameof(ThrowawayPostgres))]
public sealed class DatabaseTrainingSinkTests(ThrowawayPostgres postgres)
{
    private static readonly string[] Labels = ["neutral", "joy", "anger"];

    private async Task<long> NewRunAsync()
    {
        await using var db = postgres.NewContext();
        var corpus = new Corpus { Name = "emosynth-" + Guid.NewGuid().ToString("N"), Format = "emosynth", SourcePath = "/c", ContentHash = "h", ImportedAt = DateTimeOffset.UtcNow };
        db.Corpora.Add(corpus);
        await db.SaveChangesAsync();
        var experiment = new Experiment { Name = "concat", Family = "baselines", CorpusId = corpus.Id, SpecJson = "{}", SpecHash = "s", CreatedAt = DateTimeOffset.UtcNow };
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync();
        var run = new Run { ExperimentId = experiment.Id, Family = "baselines", CorpusId = corpus.Id, Seed = 1, Attempt = 1, QueuedAt = DateTimeOffset.UtcNow, Status = RunStatus.Running };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private static EpochResult Epoch(int epoch, double validationF1, int bestEpoch, string checkpoint) => new(epoch, epoch * 10L,
        [.. new[] { DataSplit.Train, DataSplit.Validation, DataSplit.Test }.Select(split => new SplitEvaluation(split, 30, 1.0 / epoch,
            new ClassificationScores(0.5 + epoch / 100.0, 0.4, split == DataSplit.Validation ? validationF1 : 0.45, 0.35, [0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]),
            Labels, [5, 1, 0, 2, 10, 2, 0, 3, 7]))],
        epoch == bestEpoch, bestEpoch, checkpoint);

    [Fact]
    public async Task A_resumed_run_rewrites_nothing_twice_and_the_pages_see_every_epoch()
    {
        var runId = await NewRunAsync();
        await using var database = NpgsqlDataSource.Create(postgres.ConnectionString);
        var checkpoints = Directory.CreateTempSubdirectory("sink-checkpoints-").FullName;
        string Checkpoint(int epoch)
        {
            var folder = Path.Combine(checkpoints, $"epoch-{epoch:0000}");
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), [1, 2, (byte)epoch]);
            return folder;
        }
        try
        {
            var sink = new DatabaseTrainingSink(database, runId, maxEpochs: 4, flushEverySteps: 4);
            sink.RunStarted(new RunStart(runId.ToString(), "s", Labels, new Dictionary<DataSplit, int>(), 1000, 10, null));
            for (var step = 1; step <= 20; step++) sink.StepCompleted(new TrainingStep((step - 1) / 10 + 1, step, 2.0 - step * 0.05, 1e-3));
            sink.EpochCompleted(Epoch(1, 0.50, 1, Checkpoint(1))); // after step 10 in a real run; here the steps were buffered ahead
            sink.EpochCompleted(Epoch(2, 0.55, 2, Checkpoint(2)));
            Directory.Delete(Path.Combine(checkpoints, "epoch-0001"), recursive: true); // the trainer keeps the latest and the best

            // The worker died after epoch 2 and a new attempt resumes from its checkpoint: steps 11..20 again and epoch 2 again.
            var resumed = new DatabaseTrainingSink(database, runId, maxEpochs: 4, flushEverySteps: 4);
            resumed.RunStarted(new RunStart(runId.ToString(), "s", Labels, new Dictionary<DataSplit, int>(), 1000, 10, 1));
            for (var step = 11; step <= 30; step++) resumed.StepCompleted(new TrainingStep((step - 1) / 10 + 1, step, 9.9, 1e-3));
            resumed.EpochCompleted(Epoch(2, 0.55, 2, Checkpoint(2)));
            resumed.EpochCompleted(Epoch(3, 0.53, 2, Checkpoint(3)));
            resumed.RunFinished(new TrainingOutcome(runId.ToString(), TrainingStatus.EarlyStopped, 3, 30, 2, null, null));
        }
        finally
        {
            Directory.Delete(checkpoints, recursive: true);
        }

        await using var db = postgres.NewContext();
        var losses = await db.StepLosses.Where(s => s.RunId == runId).OrderBy(s => s.Step).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 30), losses.Select(s => s.Step));
        Assert.Equal(2.0 - 15 * 0.05, losses[14].Loss, 12); // the first report of step 15 stands
        Assert.Equal(9.9, losses[25].Loss);

        var detail = (await new RunDetailQuery(db).ExecuteAsync(runId))!;
        Assert.Equal(9, detail.Epochs.Count);
        Assert.Equal(["train", "validation", "test"], detail.Splits);
        Assert.Equal(3, detail.ConfusionMatrices.Count(m => m.Split == "test"));
        var testMatrix = detail.ConfusionMatrices.Single(m => m.Epoch == 3 && m.Split == "test");
        Assert.Equal(Labels, testMatrix.Labels);
        Assert.Equal([5, 1, 0, 2, 10, 2, 0, 3, 7], testMatrix.Counts);
        Assert.Equal(0.55, detail.Epochs.Single(e => e.Epoch == 2 && e.Split == "validation").WeightedF1, 12);
        Assert.Equal([0.7, 0.8, 0.9], detail.Epochs.Single(e => e.Epoch == 3 && e.Split == "train").F1);
        Assert.Equal(2, detail.Run.BestEpoch);
        Assert.Equal(1.0, detail.Run.Progress);
        var artifacts = await db.Artifacts.Where(a => a.RunId == runId && a.Kind == "checkpoint").OrderBy(a => a.Path).ToListAsync();
        Assert.Equal(["epoch-0002", "epoch-0003"], artifacts.Select(a => Path.GetFileName(a.Path)));
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(new byte[] { 1, 2, 3 })).ToLowerInvariant(), artifacts[1].Sha256);
    }

    // An LLM family: its untuned validation score is epoch 0, and every split counts its unparsed answers per true label.
    [Fact]
    public async Task Unparsed_answers_and_the_score_before_training_are_stored()
    {
        var runId = await NewRunAsync();
        await using var database = NpgsqlDataSource.Create(postgres.ConnectionString);
        var checkpoint = Directory.CreateTempSubdirectory("sink-unparsed-").FullName;
        SplitEvaluation Scored(DataSplit split, long[] unparsed) => new(split, 30, 1.0, new ClassificationScores(0.3, 0.3, 0.3, 0.3, [0, 0, 0], [0, 0, 0], [0, 0, 0]),
            Labels, [5, 1, 0, 2, 10, 2, 0, 3, 7]) { UnparsedCounts = unparsed };
        try
        {
            var sink = new DatabaseTrainingSink(database, runId, maxEpochs: 2);
            sink.RunStarted(new RunStart(runId.ToString(), "s", Labels, new Dictionary<DataSplit, int>(), 1000, 10, null) { BeforeTraining = Scored(DataSplit.Validation, [4, 3, 2]) });
            sink.EpochCompleted(new EpochResult(1, 10, [Scored(DataSplit.Train, [1, 0, 0]), Scored(DataSplit.Validation, [0, 1, 0]), Scored(DataSplit.Test, [0, 0, 0])], true, 1, checkpoint));
        }
        finally
        {
            Directory.Delete(checkpoint, recursive: true);
        }

        await using var db = postgres.NewContext();
        var detail = (await new RunDetailQuery(db).ExecuteAsync(runId))!;
        Assert.Equal(9, detail.Epochs.Single(e => e.Epoch == 0).Unparsed);
        Assert.Equal("validation", detail.Epochs.Single(e => e.Epoch == 0).Split);
        Assert.Equal([0, 1, 1], detail.Epochs.Where(e => e.Epoch == 1).OrderBy(e => e.Split).Select(e => e.Unparsed)); // test, train, validation
        Assert.Equal([0, 1, 0], detail.ConfusionMatrices.Single(m => m.Epoch == 1 && m.Split == "validation").Unparsed);
        Assert.Equal([4, 3, 2], detail.ConfusionMatrices.Single(m => m.Epoch == 0).Unparsed);
    }
}
