using System.Text.Json;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Tests.Training;

/// <summary>The trainer's contract on the concat baseline: determinism, exact resume, early stopping, NaN and cancellation.</summary>
[Collection(EmoSynthTrainingCollection.Name)]
public sealed class TrainerTests(EmoSynthTrainingCorpus fixture) : IDisposable
{
    private static readonly ExperimentSpec Spec = new()
    {
        Corpus = "emosynth",
        LabelSet = "meld7",
        Modalities = Modalities.TextAudio,
        Seed = 7,
        Epochs = 4,
        BatchSize = 32,
        LearningRate = 3e-3,
        Patience = 10,
        Baselines = new BaselinesConfig { Variant = BaselinesConfig.ConcatVariant, HiddenSize = 64 },
    };

    private readonly BaselinesDataset data = BaselinesDataset.Build(fixture.Corpus, EmotionLab.Models.Corpora.LabelSets.Meld7, Spec.Baselines!, fixture.Features);

    public void Dispose() => data.Dispose();

    private TrainingOutcome Train(ExperimentSpec spec, string runFolder, RecordingSink sink, TrainerOptions? options = null, CancellationToken cancellationToken = default) =>
        Trainer.Run(spec, data, () => data.CreateModel(spec.Baselines!), runFolder, sink, options, cancellationToken);

    // Records compared as JSON: every double, every count, every label.
    private static string Json(object value) => JsonSerializer.Serialize(value);

    [Fact]
    public void Same_spec_and_seed_give_identical_losses_and_metrics()
    {
        var (first, second) = (new RecordingSink(), new RecordingSink());
        var a = Train(Spec, fixture.NewRunFolder("det-a"), first);
        var b = Train(Spec, fixture.NewRunFolder("det-b"), second);

        Assert.Equal(TrainingStatus.Completed, a.Status);
        Assert.Equal(4 * first.Starts[0].StepsPerEpoch, first.Steps.Count);
        Assert.Equal(first.Steps, second.Steps);
        Assert.Equal(Json(first.Epochs.Select(e => e.Splits)), Json(second.Epochs.Select(e => e.Splits)));
        Assert.Equal(Json(a with { Run = "" }), Json(b with { Run = "" }));

        var third = new RecordingSink();
        Train(Spec with { Seed = 8 }, fixture.NewRunFolder("det-c"), third);
        Assert.NotEqual(first.Steps.Select(s => s.Loss), third.Steps.Select(s => s.Loss));
    }

    // Under a warm-up + cosine schedule: the resumed run's learning rate continues the curve too.
    [Fact]
    public void A_run_stopped_after_epoch_2_and_resumed_ends_exactly_as_an_uninterrupted_one()
    {
        var spec = Spec with { Schedule = LearningRateSchedules.WarmupCosine, WarmupFraction = 0.3 };
        var whole = new RecordingSink();
        var expected = Train(spec, fixture.NewRunFolder("whole"), whole);

        var folder = fixture.NewRunFolder("resumed");
        var interrupted = new RecordingSink();
        var stopped = Train(spec, folder, interrupted, new TrainerOptions { CancelRequested = () => interrupted.Epochs.Count == 2 });
        Assert.Equal(TrainingStatus.Canceled, stopped.Status);
        Assert.Equal(2, stopped.EpochsCompleted);

        var resumedSink = new RecordingSink();
        var resumed = Train(spec, folder, resumedSink);

        Assert.Equal(2, resumedSink.Starts[0].ResumedAfterEpoch);
        Assert.Equal(whole.Steps.Skip(interrupted.Steps.Count), resumedSink.Steps);
        Assert.Equal(Json(whole.Epochs.Skip(2).Select(e => e.Splits)), Json(resumedSink.Epochs.Select(e => e.Splits)));
        Assert.Equal(Json(expected with { Run = "" }), Json(resumed with { Run = "" }));
    }

    [Fact]
    public void Each_step_trains_with_the_learning_rate_of_the_specs_schedule()
    {
        double[] Rates(ExperimentSpec spec)
        {
            var sink = new RecordingSink();
            Train(spec, fixture.NewRunFolder("schedule-" + spec.Schedule), sink);
            Assert.Equal(Enumerable.Range(1, sink.Steps.Count).Select(i => (long)i), sink.Steps.Select(s => s.Step));
            return sink.Steps.Select(s => s.LearningRate).ToArray();
        }

        Assert.All(Rates(Spec), r => Assert.Equal(Spec.LearningRate, r));

        // 4 epochs: the first epoch's steps warm up linearly from 0, then a cosine falls to nearly 0.
        var cosine = Rates(Spec with { Schedule = LearningRateSchedules.WarmupCosine, WarmupFraction = 0.25 });
        var epoch = cosine.Length / 4;
        Assert.Equal(0, cosine[0]);
        for (var i = 1; i <= epoch; i++) Assert.Equal(Spec.LearningRate * i / epoch, cosine[i], 12);
        for (var i = epoch + 1; i < cosine.Length; i++) Assert.True(cosine[i] < cosine[i - 1], $"step {i + 1}: {cosine[i]} after {cosine[i - 1]}");
        Assert.True(cosine[^1] < Spec.LearningRate * 0.01, $"last rate {cosine[^1]}");

        // Halved after every 2 epochs.
        var step = Rates(Spec with { Schedule = LearningRateSchedules.Step, DecayEveryEpochs = 2, DecayFactor = 0.5 });
        Assert.Equal(Enumerable.Repeat(Spec.LearningRate, 2 * epoch).Concat(Enumerable.Repeat(Spec.LearningRate * 0.5, 2 * epoch)), step);
    }

    // Batch 16 with 2 batches per step takes the steps batch 32 takes (the same items, their mean
    // loss, the last group shorter just as the last batch is); without dropout the runs agree up to
    // float rounding.
    [Fact]
    public void Gradient_accumulation_over_two_half_batches_trains_as_the_whole_batch()
    {
        var spec = Spec with { Baselines = Spec.Baselines! with { Dropout = 0 }, Epochs = 2 };
        var (whole, accumulated) = (new RecordingSink(), new RecordingSink());
        Train(spec, fixture.NewRunFolder("batch-32"), whole);
        Train(spec with { BatchSize = 16, GradientAccumulation = 2 }, fixture.NewRunFolder("batch-16x2"), accumulated);

        Assert.Equal(whole.Starts[0].StepsPerEpoch, accumulated.Starts[0].StepsPerEpoch);
        Assert.Equal(whole.Steps.Count, accumulated.Steps.Count);
        // Within a tolerance, not to 4 rounded places: 1.81945002 and 1.81944996 round apart.
        foreach (var (a, b) in whole.Steps.Zip(accumulated.Steps)) Assert.Equal(a.Loss, b.Loss, tolerance: 1e-4);
        Assert.Equal(whole.Epochs[^1][DataSplit.Test].Loss, accumulated.Epochs[^1][DataSplit.Test].Loss, tolerance: 1e-4);

        // Without accumulation, batch 16 takes twice the steps.
        var halves = new RecordingSink();
        Train(spec with { BatchSize = 16 }, fixture.NewRunFolder("batch-16"), halves);
        Assert.Equal(2 * whole.Steps.Count - 2, halves.Steps.Count);
    }

    [Fact]
    public void Early_stopping_reports_the_test_score_of_the_best_validation_epoch()
    {
        var sink = new RecordingSink();
        var outcome = Train(Spec with { Epochs = 30, Patience = 2 }, fixture.NewRunFolder("early"), sink);

        var best = sink.Epochs.MaxBy(e => e[DataSplit.Validation].Scores.WeightedF1)!;
        Assert.Equal(best.Epoch, outcome.BestEpoch);
        Assert.Equal(Json(best[DataSplit.Test]), Json(outcome.TestAtBestEpoch!));
        Assert.True(best.IsBest);
        if (outcome.Status == TrainingStatus.EarlyStopped) Assert.Equal(outcome.BestEpoch + 2, outcome.EpochsCompleted);
        else Assert.Equal(30, outcome.EpochsCompleted);
        Assert.Equal(sink.Epochs.Count, outcome.EpochsCompleted);

        // Only the latest and the best checkpoints are kept; the best one loads into the model.
        var kept = Directory.GetDirectories(Path.GetDirectoryName(best.CheckpointFolder)!).Select(f => Path.GetFileName(f)!).Order().ToArray();
        Assert.Equal(new[] { $"epoch-{best.Epoch:D4}", $"epoch-{outcome.EpochsCompleted:D4}" }.Distinct().Order().ToArray(), kept);
        using var model = data.CreateModel(Spec.Baselines!);
        Assert.Equal(best.Epoch.ToString(), Checkpoint.Load(best.CheckpointFolder, model)["epoch"]);

        // The kept test predictions are the best epoch's: their confusion matrix is the reported one.
        var folder = Path.GetDirectoryName(Path.GetDirectoryName(best.CheckpointFolder))!;
        var lines = File.ReadAllLines(PredictionsCsv.PathIn(folder, DataSplit.Test));
        Assert.Equal("key,true,predicted," + string.Join(",", data.Labels.Select(l => "p_" + l)), lines[0]);
        Assert.Equal(data.Keys(DataSplit.Test), lines.Skip(1).Select(l => l.Split(',')[0]));
        var matrix = new ConfusionMatrix(data.Labels);
        foreach (var cells in lines.Skip(1).Select(l => l.Split(',')))
        {
            var probabilities = cells.Skip(3).Select(c => double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, probabilities.Sum(), 3);
            Assert.Equal(cells[2], data.Labels[Array.IndexOf(probabilities, probabilities.Max())]);
            matrix.Add(data.Labels.ToList().IndexOf(cells[1]), data.Labels.ToList().IndexOf(cells[2]));
        }
        Assert.Equal(outcome.TestAtBestEpoch!.ConfusionCounts, matrix.RowMajorCounts());
    }

    [Fact]
    public void A_diverging_loss_fails_with_the_run_epoch_and_step_and_keeps_what_was_reported()
    {
        var sink = new RecordingSink();
        var e = Assert.Throws<TrainingException>(() => Train(Spec with { LearningRate = 1e30 }, fixture.NewRunFolder("nan"), sink, new TrainerOptions { RunName = "run-42" }));

        Assert.Equal("run-42", e.Run);
        Assert.NotNull(e.Step);
        Assert.Contains($"run run-42: the training loss became", e.Message);
        Assert.Contains($"epoch {e.Epoch}, step {e.Step}", e.Message);
        Assert.Equal(e.Step!.Value - 1, (long)sink.Steps.Count);
        Assert.All(sink.Steps, s => Assert.True(double.IsFinite(s.Loss)));
        Assert.Empty(sink.Finished);
    }

    [Fact]
    public void Cancellation_stops_within_a_few_steps_and_keeps_the_last_checkpoint()
    {
        using var tokenSource = new CancellationTokenSource();
        var byToken = new RecordingSink(step => { if (step.Step == 3) tokenSource.Cancel(); });
        var outcome = Train(Spec, fixture.NewRunFolder("cancel-token"), byToken, cancellationToken: tokenSource.Token);
        Assert.Equal(TrainingStatus.Canceled, outcome.Status);
        Assert.Equal(3, byToken.Steps.Count);
        Assert.Single(byToken.Finished);

        // A polled flag (the database's) is read every CancelCheckEverySteps steps.
        var flag = false;
        var byFlag = new RecordingSink(step => flag |= step.Step == 27);
        var polled = Train(Spec, fixture.NewRunFolder("cancel-flag"), byFlag, new TrainerOptions { CancelRequested = () => flag, CancelCheckEverySteps = 5 });
        Assert.Equal(TrainingStatus.Canceled, polled.Status);
        Assert.InRange(byFlag.Steps.Count, 27, 27 + 5);
        Assert.Equal(byFlag.Epochs.Count, polled.EpochsCompleted);
    }
}
