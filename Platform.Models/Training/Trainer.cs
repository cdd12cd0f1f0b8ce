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
/// <item>mini-batches in a seeded random order, one dispose scope per batch, the gradients of
/// <see cref="ExperimentSpec.GradientAccumulation"/> batches summed (and clipped to
/// <see cref="ExperimentSpec.MaxGradientNorm"/> when set) before each Adam or AdamW step, the learning rate set per step by the spec's schedule (<see cref="LearningRateSchedules"/>),
/// each step's loss and rate reported (cross-entropy, or the model's own <see cref="ITrainingObjective{TBatch}"/>); a non-finite loss ends the run with a <see cref="TrainingException"/>;</item>
/// <item>a model that generates its answers is scored on validation before training (epoch 0);</item>
/// <item>after every epoch scores train, validation and test, checkpoints, and early-stops on
/// validation weighted F1; the reported test score is the best validation epoch's, and that
/// epoch's validation and test predictions are kept as CSV (<see cref="PredictionsCsv"/>);</item>
/// <item>resumes after the last checkpoint in the run folder, and stops cleanly when canceled; a
/// model over pretrained folders (<see cref="IPretrainedBases"/>) checkpoints only what trains and
/// the folders' fingerprints.</item>
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
        var frozenBase = FrozenBaseState(model);
        var progress = Resume(checkpoints, model, optimizer, specHash, run, frozenBase);
        var stepsPerEpoch = StepsPerEpoch(spec, data.Count(DataSplit.Train));
        var schedule = CreateSchedule(spec, optimizer, stepsPerEpoch);
        // An LLM family's untuned answers are its zero-shot baseline and the unparsed rate training starts from.
        var beforeTraining = progress.Epoch == 0 && model is IAnswerGenerator<TBatch> { GeneratesAnswers: true }
            ? Score(data, model, DataSplit.Validation, spec.BatchSize, keepPredictions: false, spec).Evaluation
            : null;
        sink.RunStarted(new RunStart(run, specHash, data.Labels,
            Enum.GetValues<DataSplit>().ToDictionary(s => s, data.Count), model.parameter_count(), stepsPerEpoch,
            progress.Epoch > 0 ? progress.Epoch : null) { BeforeTraining = beforeTraining });

        var status = progress.EpochsWithoutImprovement >= spec.Patience ? TrainingStatus.EarlyStopped : TrainingStatus.Completed;
        for (var epoch = progress.Epoch + 1; epoch <= spec.Epochs && status == TrainingStatus.Completed; epoch++)
        {
            if (!TrainEpoch(spec, data, model, optimizer, schedule, epoch, run, sink, options, cancellationToken))
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
            var checkpoint = checkpoints.Save(epoch, model, optimizer, CheckpointMetadata(progress, specHash, model), progress.BestEpoch, frozenBase);
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

    /// <summary>Optimizer steps in one epoch: the batches, grouped by the gradient accumulation.</summary>
    private static int StepsPerEpoch(ExperimentSpec spec, int trainCount)
    {
        var batches = (trainCount + spec.BatchSize - 1) / spec.BatchSize;
        return (batches + spec.GradientAccumulation - 1) / spec.GradientAccumulation;
    }

    // Built after the resume, from the steps already taken, so a resumed run's rate continues its curve.
    private static torch.optim.lr_scheduler.LRScheduler CreateSchedule(ExperimentSpec spec, torch.optim.Optimizer optimizer, int stepsPerEpoch)
    {
        var planned = (long)Math.Max(1, stepsPerEpoch) * spec.Epochs;
        return spec.Schedule switch
        {
            LearningRateSchedules.WarmupCosine => new torch.optim.lr_scheduler.WarmupCosineLR(optimizer, (long)(spec.WarmupFraction * planned), planned, optimizer.StepCount),
            LearningRateSchedules.Step => new torch.optim.lr_scheduler.StepLR(optimizer, (long)Math.Max(1, stepsPerEpoch) * spec.DecayEveryEpochs, spec.DecayFactor, optimizer.StepCount),
            _ => new torch.optim.lr_scheduler.ConstantLR(optimizer, optimizer.StepCount),
        };
    }

    // The frozen parameters and buffers of the model's pretrained bases: checkpoints leave them out
    // (the folders hold them); null for a model without bases, whose checkpoints hold everything.
    private static IReadOnlySet<string>? FrozenBaseState(Module model)
    {
        if (model is not IPretrainedBases { PretrainedBases.Count: > 0 } bases) return null;
        bool InBase(string name) => bases.PretrainedBases.Any(b => name.StartsWith(b.Module + ".", StringComparison.Ordinal));
        return model.named_parameters().Where(p => !p.parameter.requires_grad && InBase(p.name)).Select(p => p.name)
            .Concat(model.named_buffers().Select(b => b.name).Where(InBase))
            .ToHashSet(StringComparer.Ordinal);
    }

    private const string BaseKeyPrefix = "base.";

    // The progress, and each pretrained base's folder and fingerprint ("base.llm" = "fingerprint folder").
    private static Dictionary<string, string> CheckpointMetadata(TrainingProgress progress, string specHash, Module model)
    {
        var metadata = progress.ToMetadata(specHash);
        if (model is IPretrainedBases bases)
            foreach (var b in bases.PretrainedBases) metadata[BaseKeyPrefix + b.Module] = $"{b.Fingerprint} {b.Folder}";
        return metadata;
    }

    private static TrainingProgress Resume(RunCheckpoints checkpoints, Module model, torch.optim.Optimizer optimizer, string specHash, string run, IReadOnlySet<string>? frozenBase)
    {
        if (checkpoints.Latest() is not { } latest) return TrainingProgress.Start;
        var metadata = Checkpoint.Load(latest.Folder, model, optimizer, frozenBase);
        if (metadata.GetValueOrDefault(TrainingProgress.SpecHashKey) != specHash)
            throw new TrainingException($"run {run}: checkpoint {latest.Folder} was written for spec {metadata.GetValueOrDefault(TrainingProgress.SpecHashKey)}, " +
                                        $"not this run's spec {specHash}; use a new run folder for a changed spec", run, latest.Epoch);
        // The trained weights only fit the frozen weights they were trained over.
        if (model is IPretrainedBases bases)
            foreach (var b in bases.PretrainedBases)
                if (metadata.GetValueOrDefault(BaseKeyPrefix + b.Module) is { } saved && saved.Split(' ', 2)[0] != b.Fingerprint)
                    throw new TrainingException($"run {run}: checkpoint {latest.Folder} was trained over {b.Module} {saved.Split(' ', 2)[1]} with fingerprint {saved.Split(' ', 2)[0]}, " +
                                                $"but {b.Folder} now has fingerprint {b.Fingerprint}; restore that folder or start the run again", run, latest.Epoch);
        return TrainingProgress.FromMetadata(metadata, latest.Folder);
    }

    // One pass over the training split; false when canceled before it finished. Each optimizer
    // step sums the gradients of up to GradientAccumulation batches, each loss divided by the
    // group's batch count, so the step follows the group's mean loss (the last group may be shorter).
    private static bool TrainEpoch<TBatch>(ExperimentSpec spec, IClassificationData<TBatch> data, Module<TBatch, Tensor> model, torch.optim.Optimizer optimizer,
        torch.optim.lr_scheduler.LRScheduler schedule, int epoch, string run, ITrainingSink sink, TrainerOptions options, CancellationToken cancellationToken)
    {
        torch.manual_seed(EpochSeed(spec.Seed, epoch));
        model.train();
        var count = data.Count(DataSplit.Train);
        var batches = (count + spec.BatchSize - 1) / spec.BatchSize;
        using var order = torch.randperm(count);
        for (var (first, stepInEpoch) = (0, 0); first < batches; first += spec.GradientAccumulation, stepInEpoch++)
        {
            if (cancellationToken.IsCancellationRequested) return false;
            if (options.CancelRequested is { } cancelRequested && stepInEpoch % Math.Max(1, options.CancelCheckEverySteps) == 0 && cancelRequested()) return false;

            var group = Math.Min(spec.GradientAccumulation, batches - first);
            var (step, learningRate, lossSum) = (optimizer.StepCount + 1, optimizer.LearningRate, 0.0);
            optimizer.zero_grad();
            for (var b = first; b < first + group; b++)
            {
                using var scope = torch.NewDisposeScope();
                var start = b * spec.BatchSize;
                var (inputs, targets) = data.Batch(DataSplit.Train, order.narrow(0, start, Math.Min(spec.BatchSize, count - start)));
                Tensor loss;
                using (MixedPrecision(spec))
                    loss = model is ITrainingObjective<TBatch> objective
                        ? objective.TrainingLoss(inputs, targets)
                        : functional.cross_entropy(model.forward(inputs), targets);
                if (loss.dtype != ScalarType.Float32) loss = loss.to(ScalarType.Float32);
                var value = loss.item();
                if (!double.IsFinite(value))
                    throw new TrainingException($"run {run}: the training loss became {value} at epoch {epoch}, step {step} " +
                                                $"(learning rate {learningRate}); lower the learning rate or check the inputs for NaN", run, epoch, step);
                (group == 1 ? loss : loss / group).backward();
                lossSum += value;
            }
            if (spec.MaxGradientNorm > 0) torch.nn.utils.clip_grad_norm_(optimizer.Parameters, spec.MaxGradientNorm);
            optimizer.step();
            schedule.step();
            sink.StepCompleted(new TrainingStep(epoch, optimizer.StepCount, lossSum / group, learningRate));
        }
        return true;
    }

    /// <summary>Scores one split in eval mode without gradients: mean cross-entropy and the confusion matrix.</summary>
    public static SplitEvaluation Evaluate<TBatch>(IClassificationData<TBatch> data, Module<TBatch, Tensor> model, DataSplit split, int batchSize) =>
        Score(data, model, split, batchSize, keepPredictions: false).Evaluation;

    // With keepPredictions, also every item's key, prediction and class probabilities. A model
    // that generates answers is scored by them (an unparsed one is wrong); the loss and the
    // probabilities come from the label scores of its generation.
    private static (SplitEvaluation Evaluation, SplitPredictions? Predictions) Score<TBatch>(IClassificationData<TBatch> data, Module<TBatch, Tensor> model,
        DataSplit split, int batchSize, bool keepPredictions, ExperimentSpec? spec = null)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        var generator = model is IAnswerGenerator<TBatch> { GeneratesAnswers: true } g ? g : null;
        var matrix = new ConfusionMatrix(data.Labels);
        var count = data.Count(split);
        var (truth, predicted, probabilities) = (new List<long>(count), new List<long>(count), new List<float>(keepPredictions ? count * data.Labels.Count : 0));
        var answers = generator is not null && keepPredictions ? new List<string>(count) : null;
        var lossSum = 0.0;
        for (var start = 0; start < count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            var (inputs, targets) = data.Batch(split, torch.arange(start, Math.Min(start + batchSize, count)));
            Tensor logits;
            IReadOnlyList<GeneratedAnswer>? generated = null;
            using (MixedPrecision(spec))
            {
                if (generator is not null) (generated, logits) = generator.Answer(inputs);
                else logits = model.forward(inputs);
            }
            logits = logits.to(ScalarType.Float32);
            lossSum += functional.cross_entropy(logits, targets, reduction: Reduction.Sum).item();
            var batchTruth = targets.data<long>();
            var batchPredicted = generated?.Select(a => (long)(a.Label ?? ConfusionMatrix.Unparsed)).ToArray() ?? logits.argmax(1).data<long>();
            matrix.Add(batchTruth, batchPredicted);
            if (!keepPredictions) continue;
            truth.AddRange(batchTruth);
            predicted.AddRange(batchPredicted);
            probabilities.AddRange(logits.softmax(1).data<float>());
            answers?.AddRange(generated!.Select(a => a.Text));
        }
        model.train();
        var evaluation = new SplitEvaluation(split, count, count == 0 ? 0 : lossSum / count, matrix.Scores(), data.Labels, matrix.RowMajorCounts())
        {
            UnparsedCounts = generator is null ? null : matrix.UnparsedCounts(),
        };
        return (evaluation, keepPredictions ? new SplitPredictions(split, data.Labels, data.Keys(split), truth.ToArray(), predicted.ToArray(), probabilities.ToArray()) { Answers = answers } : null);
    }

    // bf16: autocast around the forward pass and the loss; float32 weights stay the master copy.
    private static IDisposable? MixedPrecision(ExperimentSpec? spec) => spec?.Precision == Precisions.Bf16 ? torch.autocast(ScalarType.BFloat16) : null;

    // Distinct, reproducible generator state per (seed, epoch).
    private static long EpochSeed(int seed, int epoch) => seed * 1_000_003L + epoch;
}
