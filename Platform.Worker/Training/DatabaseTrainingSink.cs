using System.Security.Cryptography;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;
using Npgsql;
using NpgsqlTypes;

namespace EmotionLab.Worker.Training;

/// <summary>
/// Writes a run's progress to PostgreSQL as the trainer reports it: per-step losses and learning
/// rates (batched), per-epoch scores and confusion matrices per split (with the unparsed answers
/// of a family that generates them), the checkpoint as an artifact, and the run's
/// progress and best epoch. Every write is keyed (run, step) or (run, epoch, split), so a run
/// resumed from its last checkpoint re-reports the steps after it without duplicating a row.
/// </summary>
public sealed class DatabaseTrainingSink(NpgsqlDataSource database, long runId, int maxEpochs, int flushEverySteps = 25) : ITrainingSink
{
    private readonly List<TrainingStep> pending = [];
    private int stepsPerEpoch = 1;

    public static string SplitName(DataSplit split) => split switch
    {
        DataSplit.Train => "train",
        DataSplit.Validation => "validation",
        DataSplit.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, null),
    };

    // An LLM family's untuned validation score is stored as epoch 0: curves start from it.
    public void RunStarted(RunStart start)
    {
        stepsPerEpoch = Math.Max(1, start.StepsPerEpoch);
        if (start.BeforeTraining is not { } before) return;
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        WriteSplit(connection, 0, before);
        transaction.Commit();
    }

    public void StepCompleted(TrainingStep step)
    {
        pending.Add(step);
        if (pending.Count >= flushEverySteps) FlushSteps(progressEpoch: step.Epoch - 1 + (double)((step.Step - 1) % stepsPerEpoch + 1) / stepsPerEpoch);
    }

    public void EpochCompleted(EpochResult epoch)
    {
        FlushSteps(progressEpoch: epoch.Epoch);
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        foreach (var split in epoch.Splits) WriteSplit(connection, epoch.Epoch, split);
        RecordCheckpoints(connection, epoch.CheckpointFolder);
        Execute(connection, "UPDATE runs SET best_epoch = @best, progress = @progress WHERE id = @run",
            ("best", epoch.BestEpoch), ("progress", Math.Min(1.0, (double)epoch.Epoch / maxEpochs)), ("run", runId));
        transaction.Commit();
    }

    // One split's scores and confusion matrix (with the unparsed answers of a family that generates them).
    private void WriteSplit(NpgsqlConnection connection, int epochNumber, SplitEvaluation split)
    {
        var name = SplitName(split.Split);
        Execute(connection, """
            INSERT INTO epoch_metrics (run_id, epoch, split, loss, wa, ua, weighted_f1, macro_f1, precision, recall, f1, unparsed)
            VALUES (@run, @epoch, @split, @loss, @wa, @ua, @wf1, @mf1, @precision, @recall, @f1, @unparsed)
            ON CONFLICT (run_id, epoch, split) DO UPDATE SET loss = excluded.loss, wa = excluded.wa, ua = excluded.ua,
                weighted_f1 = excluded.weighted_f1, macro_f1 = excluded.macro_f1, precision = excluded.precision, recall = excluded.recall, f1 = excluded.f1,
                unparsed = excluded.unparsed
            """, ("run", runId), ("epoch", epochNumber), ("split", name), ("loss", split.Loss), ("wa", split.Scores.WA), ("ua", split.Scores.UA),
            ("wf1", split.Scores.WeightedF1), ("mf1", split.Scores.MacroF1), ("precision", split.Scores.Precision), ("recall", split.Scores.Recall), ("f1", split.Scores.F1),
            ("unparsed", split.Unparsed is { } unparsed ? (object)checked((int)unparsed) : DBNull.Value));
        Execute(connection, """
            INSERT INTO confusion_matrices (run_id, epoch, split, labels, counts, unparsed) VALUES (@run, @epoch, @split, @labels, @counts, @unparsed)
            ON CONFLICT (run_id, epoch, split) DO UPDATE SET labels = excluded.labels, counts = excluded.counts, unparsed = excluded.unparsed
            """, ("run", runId), ("epoch", epochNumber), ("split", name), ("labels", split.Labels.ToArray()),
            ("counts", split.ConfusionCounts.Select(c => checked((int)c)).ToArray()),
            ("unparsed", split.UnparsedCounts is { } perLabel ? (object)perLabel.Select(c => checked((int)c)).ToArray() : DBNull.Value));
    }

    /// <summary>Writes the steps still buffered: a run that fails mid-epoch keeps every loss it recorded.</summary>
    public void FlushPendingSteps() => FlushSteps(progressEpoch: null);

    public void RunFinished(TrainingOutcome outcome)
    {
        FlushSteps(progressEpoch: null);
        using var connection = database.OpenConnection();
        // A canceled run keeps the progress of its last epoch: the runs list shows how far it got, not a full bar.
        if (outcome.Status == TrainingStatus.Canceled)
            Execute(connection, "UPDATE runs SET best_epoch = @best WHERE id = @run", ("best", (object?)outcome.BestEpoch ?? DBNull.Value), ("run", runId));
        else
            Execute(connection, "UPDATE runs SET best_epoch = @best, progress = 1 WHERE id = @run", ("best", (object?)outcome.BestEpoch ?? DBNull.Value), ("run", runId));
    }

    // The trainer keeps only the latest and the best checkpoint: the artifacts list what is on disk.
    private void RecordCheckpoints(NpgsqlConnection connection, string latest)
    {
        using (var command = new NpgsqlCommand("SELECT id, path FROM artifacts WHERE run_id = @run AND kind = 'checkpoint'", connection))
        {
            command.Parameters.AddWithValue("run", runId);
            var gone = new List<long>();
            var known = new HashSet<string>();
            using (var reader = command.ExecuteReader())
                while (reader.Read())
                {
                    var path = reader.GetString(1);
                    if (Directory.Exists(path) && path != latest) known.Add(path);
                    else gone.Add(reader.GetInt64(0));
                }
            if (gone.Count > 0) Execute(connection, "DELETE FROM artifacts WHERE id = ANY(@ids)", ("ids", gone.ToArray()));
        }
        var model = Path.Combine(latest, Checkpoint.ModelFile);
        if (!File.Exists(model)) return;
        using var stream = File.OpenRead(model);
        Execute(connection, """
            INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (@run, 'checkpoint', @path, @sha, @bytes, now())
            """, ("run", runId), ("path", latest), ("sha", Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant()), ("bytes", new FileInfo(model).Length));
    }

    // Writes the buffered step losses with binary COPY into a temp table, then inserts the ones not stored yet.
    private void FlushSteps(double? progressEpoch)
    {
        if (pending.Count == 0) return;
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, "CREATE TEMP TABLE incoming_steps (LIKE step_losses) ON COMMIT DROP");
        using (var writer = connection.BeginBinaryImport("COPY incoming_steps (run_id, step, epoch, loss, learning_rate) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var s in pending)
            {
                writer.StartRow();
                writer.Write(runId, NpgsqlDbType.Bigint);
                writer.Write(checked((int)s.Step), NpgsqlDbType.Integer);
                writer.Write(s.Epoch, NpgsqlDbType.Integer);
                writer.Write(s.Loss, NpgsqlDbType.Double);
                writer.Write(s.LearningRate, NpgsqlDbType.Double);
            }
            writer.Complete();
        }
        Execute(connection, "INSERT INTO step_losses SELECT * FROM incoming_steps ON CONFLICT (run_id, step) DO NOTHING");
        if (progressEpoch is { } e)
            Execute(connection, "UPDATE runs SET progress = @progress WHERE id = @run", ("progress", Math.Min(1.0, e / maxEpochs)), ("run", runId));
        transaction.Commit();
        pending.Clear();
    }

    private static void Execute(NpgsqlConnection connection, string sql, params (string name, object value)[] parameters)
    {
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}
