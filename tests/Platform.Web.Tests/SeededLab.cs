using EmotionLab.Models.Experiments;
using EmotionLab.Data;
using EmotionLab.Data.Entities;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The lab the tests look at: a finished, a running, a queued and a failed baseline run on one corpus,
/// and a 3-variant x 20-seed BCAF grid (statuses cycling Succeeded, Succeeded, Canceled, Failed) on another,
/// whose succeeded runs have test scores at their best epoch (<see cref="GridTestWeightedF1"/>), and
/// learning curves and test confusion matrices (<see cref="GridCounts"/>) for the compare page.
/// </summary>
public sealed record SeededLab(
    long CorpusId, long GridCorpusId, long GridId, long SucceededRunId, long RunningRunId, long QueuedRunId, long FailedRunId, IReadOnlyList<Run> GridRuns)
{
    public static readonly string[] Labels = ["neutral", "anger", "sadness", "joy"];
    /// <summary>
    /// Weighted F1 of the finished run's epochs 1..5. Validation peaks at epoch 4 (its best epoch),
    /// where test reads 0.63; test alone peaks later (0.65 at epoch 5), which a score chosen on test would pick.
    /// </summary>
    public static readonly double[] TestWeightedF1 = [0.41, 0.52, 0.58, 0.63, 0.65];
    public static readonly double[] ValidationWeightedF1 = [0.45, 0.55, 0.60, 0.66, 0.62];
    public const int StepsPerEpoch = 8;
    public const string FailedRunError = "NaN loss at step 120: lower the learning rate";
    public const string FreshNode = "gpu-node-1";
    public const string StaleNode = "old-node";
    public static readonly string[] GridVariants = ["full", "w/o ICN", "w/o BAN"];
    public const int GridBestEpoch = 3;
    public const int GridStepsPerEpoch = 4;
    /// <summary>The "full" run with seed 1 trained this many steps, more than a loss curve is drawn with (bucketed).</summary>
    public const int LongCurveSteps = 1000;

    /// <summary>Training steps of a succeeded grid run over its <see cref="GridBestEpoch"/> epochs.</summary>
    public static int GridSteps(string variant, int seed) => variant == "full" && seed == 1 ? LongCurveSteps : GridBestEpoch * GridStepsPerEpoch;

    public static double GridLoss(string variant, int step) => 1.8 / Math.Sqrt(step) + 0.05 * Array.IndexOf(GridVariants, variant);

    /// <summary>
    /// Test weighted F1 of a succeeded grid run at its best epoch: "w/o ICN" is clearly worse than
    /// the full model, "w/o BAN" about as good; seeds spread each variant differently. WA, UA and
    /// macro F1 are fixed offsets of it.
    /// </summary>
    public static double GridTestWeightedF1(string variant, int seed)
    {
        var index = Array.IndexOf(GridVariants, variant);
        return new[] { 0.70, 0.64, 0.695 }[index] + 0.003 * ((seed * (index + 2)) % 7 - 3);
    }

    /// <summary>
    /// Test confusion counts of a succeeded grid run at an epoch (rows true labels), different per
    /// variant, seed and epoch. In "w/o ICN" runs whose seed is a multiple of 3, "joy" is neither
    /// true nor predicted: its row and column are zero (an F1 of 0, a row-normalised row of zeros).
    /// </summary>
    public static int[] GridCounts(string variant, int seed, int epoch)
    {
        var v = Array.IndexOf(GridVariants, variant);
        var n = Labels.Length;
        var counts = new int[n * n];
        for (var t = 0; t < n; t++)
            for (var p = 0; p < n; p++)
                counts[t * n + p] = t == p ? 10 + (seed * (v + 1) + 2 * t) % 9 + 2 * epoch : (t + 2 * p + seed + v) % 5;
        if (variant == "w/o ICN" && seed % 3 == 0)
            for (var i = 0; i < n; i++) counts[3 * n + i] = counts[i * n + 3] = 0;
        return counts;
    }

    public static async Task<SeededLab> WriteAsync(EmotionLabDbContext db)
    {
        var now = DateTimeOffset.UtcNow;
        var corpus = new Corpus { Name = "emosynth", Format = "emosynth", SourcePath = "/data/emosynth", ContentHash = "c1", ImportedAt = now };
        var gridCorpus = new Corpus { Name = "iemocap", Format = "iemocap", SourcePath = "/data/iemocap", ContentHash = "c2", ImportedAt = now };
        db.Corpora.AddRange(corpus, gridCorpus);
        await db.SaveChangesAsync();

        var baseline = new Experiment
        {
            Name = "concat late fusion", Family = "baselines", CorpusId = corpus.Id, SpecHash = "spec-baseline", CreatedAt = now,
            SpecJson = """{"family": "baselines", "fusion": "concat", "optimizer": {"name": "adam", "lr": 0.0001}, "epochs": 5}""",
        };
        db.Experiments.Add(baseline);
        await db.SaveChangesAsync();

        Run NewBaselineRun(RunStatus status, int seed) => new()
        {
            ExperimentId = baseline.Id, Family = "baselines", CorpusId = corpus.Id, Seed = seed, Status = status, Attempt = 1, QueuedAt = now.AddMinutes(-30),
        };
        var succeeded = NewBaselineRun(RunStatus.Succeeded, 1);
        succeeded.Progress = 1; succeeded.BestEpoch = 4; succeeded.Node = FreshNode; succeeded.Device = "cuda:1";
        succeeded.StartedAt = now.AddMinutes(-29); succeeded.FinishedAt = now.AddMinutes(-20);
        var running = NewBaselineRun(RunStatus.Running, 2);
        running.Progress = 0.4; running.Node = FreshNode; running.Device = "cuda:0"; running.StartedAt = now.AddMinutes(-5);
        var queued = NewBaselineRun(RunStatus.Queued, 3);
        var failed = NewBaselineRun(RunStatus.Failed, 4);
        failed.Progress = 0.2; failed.Error = FailedRunError; failed.StartedAt = now.AddMinutes(-25); failed.FinishedAt = now.AddMinutes(-24);

        var grid = new Grid
        {
            Name = "bcaf-ablation", Family = "bcaf", BaseSpecJson = """{"family": "bcaf"}""", Seeds = [.. Enumerable.Range(1, 20)], CreatedAt = now,
            AxesJson = System.Text.Json.JsonSerializer.Serialize(new[] { GridAxis.Over("variant", "full", "w/o ICN", "w/o BAN") }, ExperimentSpecJson.Options), ReferenceVariant = "full",
        };
        db.Grids.Add(grid);
        await db.SaveChangesAsync();
        RunStatus[] cycle = [RunStatus.Succeeded, RunStatus.Succeeded, RunStatus.Canceled, RunStatus.Failed];
        var gridRuns = new List<Run>();
        foreach (var variant in GridVariants)
        {
            var experiment = new Experiment
            {
                Name = $"bcaf {variant}", Family = "bcaf", CorpusId = gridCorpus.Id, GridId = grid.Id, SpecHash = "spec-" + variant, CreatedAt = now,
                SpecJson = $$"""{"family": "bcaf", "variant": "{{variant}}"}""",
            };
            db.Experiments.Add(experiment);
            await db.SaveChangesAsync();
            for (var seed = 1; seed <= 20; seed++)
                gridRuns.Add(new Run
                {
                    ExperimentId = experiment.Id, GridId = grid.Id, Family = "bcaf", CorpusId = gridCorpus.Id, Variant = variant, Seed = seed,
                    Status = cycle[(gridRuns.Count) % cycle.Length], Attempt = 1, Progress = 1, QueuedAt = now.AddHours(-2), FinishedAt = now.AddHours(-1),
                });
        }
        foreach (var run in gridRuns.Where(r => r.Status == RunStatus.Succeeded)) run.BestEpoch = GridBestEpoch;
        db.Runs.AddRange(gridRuns);
        await db.SaveChangesAsync();
        foreach (var run in gridRuns.Where(r => r.Status == RunStatus.Succeeded)) AddGridRunScores(db, run);
        db.Runs.AddRange(succeeded, running, queued, failed);
        await db.SaveChangesAsync();

        AddFinishedRunHistory(db, succeeded.Id);
        AddRunningRunHistory(db, running.Id);
        db.WorkerNodes.AddRange(
            new WorkerNode { Name = FreshNode, Slots = 2, Devices = ["cuda:0", "cuda:1"], Version = "1.0.0+abc", StartedAt = now.AddHours(-1), HeartbeatAt = now },
            new WorkerNode { Name = StaleNode, Slots = 1, Devices = ["cpu"], Version = "0.9.0", StartedAt = now.AddDays(-1), HeartbeatAt = now.AddMinutes(-5) });
        await db.SaveChangesAsync();
        return new SeededLab(corpus.Id, gridCorpus.Id, grid.Id, succeeded.Id, running.Id, queued.Id, failed.Id, gridRuns);
    }

    /// <summary>The scores the finished run stored for an epoch (1-based) on a split.</summary>
    public static EpochMetric Scores(long runId, int epoch, string split)
    {
        var weightedF1 = split switch
        {
            "test" => TestWeightedF1[epoch - 1],
            "validation" => ValidationWeightedF1[epoch - 1],
            _ => 0.5 + 0.08 * epoch,
        };
        return new EpochMetric
        {
            RunId = runId, Epoch = epoch, Split = split, Loss = 1.5 - 0.2 * epoch, WA = weightedF1 + 0.03, UA = weightedF1 - 0.01,
            WeightedF1 = weightedF1, MacroF1 = weightedF1 - 0.04, Precision = [0.5, 0.6, 0.7, 0.8], Recall = [0.55, 0.65, 0.6, 0.7], F1 = [0.52, 0.62, 0.65, 0.75],
        };
    }

    public static int[] Counts(int epoch)
    {
        var n = Labels.Length;
        return [.. Enumerable.Range(0, n * n).Select(i => i / n == i % n ? 20 + 3 * epoch : (i / n + i % n + epoch) % 4)];
    }

    private static void AddFinishedRunHistory(EmotionLabDbContext db, long runId)
    {
        for (var epoch = 1; epoch <= TestWeightedF1.Length; epoch++)
        {
            foreach (var split in new[] { "train", "validation", "test" }) db.EpochMetrics.Add(Scores(runId, epoch, split));
            foreach (var split in new[] { "validation", "test" })
                db.ConfusionMatrices.Add(new ConfusionMatrixRow { RunId = runId, Epoch = epoch, Split = split, Labels = Labels, Counts = Counts(epoch) });
            for (var s = 0; s < StepsPerEpoch; s++)
            {
                var step = (epoch - 1) * StepsPerEpoch + s + 1;
                db.StepLosses.Add(new StepLoss { RunId = runId, Step = step, Epoch = epoch, Loss = 2.0 / Math.Sqrt(step), LearningRate = 1e-4 });
            }
        }
    }

    // Test scores and confusion matrices at the best epoch and a worse epoch before it, which the
    // grid and the compare page must not pick; validation scores peaking at the best epoch and step losses.
    private static void AddGridRunScores(EmotionLabDbContext db, Run run)
    {
        var best = GridTestWeightedF1(run.Variant, run.Seed);
        foreach (var (epoch, f1) in new[] { (GridBestEpoch - 1, best - 0.1), (GridBestEpoch, best) })
        {
            db.EpochMetrics.Add(new EpochMetric { RunId = run.Id, Epoch = epoch, Split = "test", WA = f1 + 0.03, UA = f1 - 0.01, WeightedF1 = f1, MacroF1 = f1 - 0.04 });
            db.ConfusionMatrices.Add(new ConfusionMatrixRow { RunId = run.Id, Epoch = epoch, Split = "test", Labels = Labels, Counts = GridCounts(run.Variant, run.Seed, epoch) });
        }
        for (var epoch = 1; epoch <= GridBestEpoch; epoch++)
        {
            var f1 = best + 0.01 - 0.06 * (GridBestEpoch - epoch);
            db.EpochMetrics.Add(new EpochMetric { RunId = run.Id, Epoch = epoch, Split = "validation", WA = f1 + 0.03, UA = f1 - 0.01, WeightedF1 = f1, MacroF1 = f1 - 0.04 });
        }
        var steps = GridSteps(run.Variant, run.Seed);
        for (var step = 1; step <= steps; step++)
            db.StepLosses.Add(new StepLoss { RunId = run.Id, Step = step, Epoch = (step - 1) * GridBestEpoch / steps + 1, Loss = GridLoss(run.Variant, step), LearningRate = 1e-4 });
    }

    private static void AddRunningRunHistory(EmotionLabDbContext db, long runId)
    {
        for (var epoch = 1; epoch <= 2; epoch++)
        {
            db.EpochMetrics.Add(Scores(runId, epoch, "validation"));
            db.StepLosses.Add(new StepLoss { RunId = runId, Step = epoch, Epoch = epoch, Loss = 1.0 / epoch, LearningRate = 1e-4 });
        }
    }
}
