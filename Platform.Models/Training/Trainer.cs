using EmotionLab.Models.Experiments;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Training;

/// <summary>
/// The training loop shared by the classification families. One call trains one run:
/// <list type="bullet">
/// <item>seeds libtorch from the spec before building the model, and again at every epoch start
/// from (seed, epoch), so data order and dropout depend only on the epoch: a resumed run draws
/// exactly what an uninterrupted one would;</item>
/// <item>mini-batches in a seeded random order, Adam or AdamW, one dispose scope per step, each
/// step's loss reported (cross-entropy, or the model's own <see cref="ITrainingObjective{TBatch}"/>); a non-finite loss ends the run with a <see cref="TrainingException"/>;</item>
/// <item>after every epoch scores train, validation and test, checkpoints, and early-stops on
/// validation weighted F1; the reported test score is the best validation epoch's, and that
/// epoch's validation and test predictions are kept as CSV (<see cref="PredictionsCsv"/>);</item>
/// <item>resumes after the last checkpoint in the run folder, and stops cleanly when canceled.</item>
/// </list>
/// </summary>
public static class Trainer
{
    /// <param name="createModel">builds the family's model; called right after seeding, so its initialisation follows the seed</param>
    /// <param name="runFolder">the run's own folder (checkpoints/ goes under it); a folder with checkpoints is resumed</param>
    public static TrainingOutcome Run<TBatch>(ExperimentSpec spec, IClassificationData<TBatch> data, Func<Module<TBatch, Tensor>> createModel,
        string runFolder, ITrainingSink sink, TrainerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TrainerOptions();
        var run = options.RunName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(runFolder));
        var problems = ExperimentSpecValidator.Validate(spec);
        if (problems.Count > 0) throw new TrainingException($"run {run}: the spec is invalid: {string.Join("; ", problems)}", run);
        var specHash = ExperimentSpecJson.Hash(spec);
        var checkpoints = new RunCheckpoints(Path.Combine(runFolder, "checkpoints"));

        torch.manual_seed(spec.Seed);
        using var model = createModel();
        using var optimizer = CreateOptimizer(spec, model);
        var progress = Resume(checkpoints, model, optimizer, specHash, run);

        var trainCount = data.Count(DataSplit.Train);
        var stepsPerEpoch = (trainCount + spec.BatchSize - 1) / spec.BatchSize;
        sink.RunStarted(new RunStart(run, specHash, data.Labels,
            Enum.GetValues<DataSplit>().ToDictionary(s => s, data.Count), model.parameter_count(), stepsPerEpoch,
            progress.Epoch > 0 ? progress.Epoch : null));

        var status = progress.EpochsWithoutImprovement >= spec.Patience ? TrainingStatus.EarlyStopped : TrainingStatus.Completed;
        for (var epoch = progress.Epoch + 1; epoch <= spec.Epochs && status == TrainingStatus.Completed; epoch++)
        {
            if (!TrainEpoch(spec, data, model, optimizer, epoch, run, sink, options, cancellationToken))
            {
                status = TrainingStatus.Canceled;
                break;
            }
            var scored = Enum.GetValues<DataSplit>().Select(s => Score(data, model, s, spec.BatchSize, keepPredictions: s != DataSplit.Train, spec)).ToArray();
            var evaluations = scored.Select(s => s.Evaluation).ToArray();
            var validation = evaluations.Single(e => e.Split == DataSplit.Validation);
            var improved = validation.Scores.WeightedF1 > progress.BestValidationWeightedF1;
            if (improved)
                foreach (var predictions in scored.Select(s => s.Predictions).OfType<SplitPredictions>())
                    PredictionsCsv.Write(PredictionsCsv.PathIn(runFolder, predictions.Split), predictions);
            progress = improved
                ? progress with { BestEpoch = epoch, BestValidationWeightedF1 = validation.Scores.WeightedF1, EpochsWithoutImprovement = 0, BestValidation = validation, TestAtBestEpoch = evaluations.Single(e => e.Split == DataSplit.Test) }
                : progress with { EpochsWithoutImprovement = progress.EpochsWithoutImprovement + 1 };
            progress = progress with { Epoch = epoch, Step = optimizer.StepCount };
            var checkpoint = checkpoints.Save(epoch, model, optimizer, progress.ToMetadata(specHash), progress.BestEpoch);
            sink.EpochCompleted(new EpochResult(epoch, optimizer.StepCount, evaluations, improved, progress.BestEpoch, checkpoint));
            if (progress.EpochsWithoutImprovement >= spec.Patience) status = TrainingStatus.EarlyStopped;
        }

        var outcome = new TrainingOutcome(run, status, progress.Epoch, progress.Step, progress.BestEpoch > 0 ? progress.BestEpoch : null,
            progress.BestValidation, progress.TestAtBestEpoch);
        sink.RunFinished(outcome);
        return outcome;
    }

    private static torch.optim.Optimizer CreateOptimizer(ExperimentSpec spec, Module model) => spec.Optimizer == OptimizerNames.AdamW
        ? new torch.optim.AdamW(model.parameters(), spec.LearningRate, weight_decay: spec.WeightDecay)
        : new torch.optim.Adam(model.parameters(), spec.LearningRate, weight_decay: spec.WeightDecay);

    private static TrainingProgress Resume(RunCheckpoints checkpoints, Module model, torch.optim.Optimizer optimizer, string specHash, string run)
    {
        if (checkpoints.Latest() is not { } latest) return TrainingProgress.Start;
        var metadata = Checkpoint.Load(latest.Folder, model, optimizer);
        if (metadata.GetValueOrDefault(TrainingProgress.SpecHashKey) != specHash)
            throw new TrainingException($"run {run}: checkpoint {latest.Folder} was written for spec {metadata.GetValueOrDefault(TrainingProgress.SpecHashKey)}, " +
                                        $"not this run's spec {specHash}; use a new run folder for a changed spec", run, latest.Epoch);
        return TrainingProgress.FromMetadata(metadata, latest.Folder);
    }

    // One pass over the training split; false when canceled before it finished.
    private static bool TrainEpoch<TBatch>(ExperimentSpec spec, IClassificationData<TBatch> data, Module<TBatch, Tensor> model, torch.optim.Optimizer optimizer,
        int epoch, string run, ITrainingSink sink, TrainerOptions options, CancellationToken cancellationToken)
    {
        torch.manual_seed(EpochSeed(spec.Seed, epoch));
        model.train();
        var count = data.Count(DataSplit.Train);
        using var order = torch.randperm(count);
        for (var (start, stepInEpoch) = (0, 0); start < count; start += spec.BatchSize, stepInEpoch++)
        {
            if (cancellationToken.IsCancellationRequested) return false;
            if (options.CancelRequested is { } cancelRequested && stepInEpoch % Math.Max(1, options.CancelCheckEverySteps) == 0 && cancelRequested()) return false;

            using var scope = torch.NewDisposeScope();
            var (inputs, targets) = data.Batch(DataSplit.Train, order.narrow(0, start, Math.Min(spec.BatchSize, count - start)));
            optimizer.zero_grad();
            Tensor loss;
            using (MixedPrecision(spec))
                loss = model is ITrainingObjective<TBatch> objective
                    ? objective.TrainingLoss(inputs, targets)
                    : functional.cross_entropy(model.forward(inputs), targets);
            if (loss.dtype != ScalarType.Float32) loss = loss.to(ScalarType.Float32);
            var value = loss.item();
            var step = optimizer.StepCount + 1;
            if (!double.IsFinite(value))
                throw new TrainingException($"run {run}: the training loss became {value} at epoch {epoch}, step {step} " +
                                            $"(learning rate {optimizer.LearningRate}); lower the learning rate or check the inputs for NaN", run, epoch, step);
            loss.backward();
            optimizer.step();
            sink.StepCompleted(new TrainingStep(epoch, optimizer.StepCount, value, optimizer.LearningRate));
        }
        return true;
    }

    /// <summary>Scores one split in eval mode without gradients: mean cross-entropy and the confusion matrix.</summary>
    public static SplitEvaluation Evaluate<TBatch>(IClassificationData<TBatch> data, Module<TBatch, Tensor> model, DataSplit split, int batchSize) =>
        Score(data, model, split, batchSize, keepPredictions: false).Evaluation;

    // With keepPredictions, also every item's key, prediction and class probabilities.
    private static (SplitEvaluation Evaluation, SplitPredictions? Predictions) Score<TBatch>(IClassificationData<TBatch> data, Module<TBatch, Tensor> model,
        DataSplit split, int batchSize, bool keepPredictions, ExperimentSpec? spec = null)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        var matrix = new ConfusionMatrix(data.Labels);
        var count = data.Count(split);
        var (truth, predicted, probabilities) = (new List<long>(count), new List<long>(count), new List<float>(keepPredictions ? count * data.Labels.Count : 0));
        var lossSum = 0.0;
        for (var start = 0; start < count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            var (inputs, targets) = data.Batch(split, torch.arange(start, Math.Min(start + batchSize, count)));
            Tensor logits;
            using (MixedPrecision(spec)) logits = model.forward(inputs);
            logits = logits.to(ScalarType.Float32);
            lossSum += functional.cross_entropy(logits, targets, reduction: Reduction.Sum).item();
            var (batchTruth, batchPredicted) = (targets.data<long>(), logits.argmax(1).data<long>());
            matrix.Add(batchTruth, batchPredicted);
            if (!keepPredictions) continue;
            truth.AddRange(batchTruth);
            predicted.AddRange(batchPredicted);
            probabilities.AddRange(logits.softmax(1).data<float>());
        }
        model.train();
        var evaluation = new SplitEvaluation(split, count, count == 0 ? 0 : lossSum / count, matrix.Scores(), data.Labels, matrix.RowMajorCounts());
        return (evaluation, keepPredictions ? new SplitPredictions(split, data.Labels, data.Keys(split), truth.ToArray(), predicted.ToArray(), probabilities.ToArray()) : null);
    }

    // bf16: autocast around the forward pass and the loss; float32 weights stay the master copy.
    private static IDisposable? MixedPrecision(ExperimentSpec? spec) => spec?.Precision == Precisions.Bf16 ? torch.autocast(ScalarType.BFloat16) : null;

    // Distinct, reproducible generator state per (seed, epoch).
    private static long EpochSeed(int seed, int epoch) => seed * 1_000_003L + epoch;
}
