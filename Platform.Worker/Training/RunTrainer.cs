using System.Reflection;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Features;
using EmotionLab.Models.Training;
using EmotionLab.Worker.Corpora;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EmotionLab.Worker.Training;

/// <summary>
/// `train --run ID`: trains one run stored in the database, in this process (a worker starts
/// one child process per run so a native crash ends one run, not the node). It reads the spec,
/// imports the corpus from its source folder (audio extraction and features are cached under the
/// artifact root), trains with the run's folder for checkpoints (so a new attempt resumes), and
/// writes progress through <see cref="DatabaseTrainingSink"/>. The run ends Succeeded, Canceled
/// (its cancel flag was set) or Failed with a message; what was written before a failure stays.
/// </summary>
public static class RunTrainer
{
    public static async Task<RunStatus> RunAsync(string connectionString, long runId, string artifactRoot, TextWriter log, string device = "cpu", CancellationToken cancellation = default)
    {
        await using var database = NpgsqlDataSource.Create(connectionString);
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
        var run = await db.Runs.Include(r => r.Experiment).SingleOrDefaultAsync(r => r.Id == runId, cancellation)
                  ?? throw new ArgumentException($"there is no run {runId} in the database");
        var corpusEntity = await db.Corpora.SingleAsync(c => c.Id == run.CorpusId, cancellation);
        run.Status = RunStatus.Running;
        run.StartedAt ??= DateTimeOffset.UtcNow;
        run.Error = null;
        run.CodeVersion = typeof(RunTrainer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        await db.SaveChangesAsync(cancellation);

        RunStatus final;
        string? error = null;
        try
        {
            if (device != "cpu")
                throw new RunSetupException($"run {runId} was given device {device}, but this trainer trains on the CPU only so far; give the node Devices [\"cpu\"]");
            final = Train(run, corpusEntity, database, artifactRoot, log, cancellation);
        }
        catch (Exception e) when (e is TrainingException or RunSetupException)
        {
            (final, error) = (RunStatus.Failed, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            (final, error) = (RunStatus.Failed, $"{e.GetType().Name}: {e.Message}");
        }
        if (error is not null) log.WriteLine($"run {runId} failed: {error}");

        // Progress columns were written by the sink on its own connection: reload before the final update.
        await db.Entry(run).ReloadAsync(cancellation);
        run.Status = final;
        run.Error = error;
        run.FinishedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(cancellation);
        return final;
    }

    private static RunStatus Train(Run run, Data.Entities.Corpus corpusEntity, NpgsqlDataSource database, string artifactRoot, TextWriter log, CancellationToken cancellation)
    {
        var parsed = ExperimentSpecJson.ParseAndValidate(run.Experiment!.SpecJson);
        if (parsed.Spec is not { } spec)
            throw new RunSetupException($"the spec of experiment {run.ExperimentId} is invalid: {string.Join("; ", parsed.Problems)}");
        spec = spec with { Seed = run.Seed };
        var family = FamilyCatalog.Find(spec.Family);
        var trainer = family?.Trainer ?? throw new RunSetupException($"family '{spec.Family}' has no trainer in this worker yet");

        var corpus = ImportCorpus(corpusEntity, artifactRoot);
        if (spec.TestFold is { } fold)
        {
            corpus = HoldOut(corpus, fold);
            var counts = corpus.Utterances.CountBy(u => u.Split).ToDictionary();
            log.WriteLine($"run {run.Id}: leave-one-fold-out, fold {fold} is the test split ({counts.GetValueOrDefault("test")} utterances); " +
                          $"the other folds give {counts.GetValueOrDefault("train")} train and {counts.GetValueOrDefault("valid")} validation utterances");
        }
        RecordHashes(database, run.Id, ExperimentSpecJson.Hash(spec), CorpusFingerprint.Compute(corpus));

        var sink = new DatabaseTrainingSink(database, run.Id, family.ConfigOf(spec)?.PlannedEpochs(spec) ?? spec.Epochs);
        var transitions = new RunTransitions(database);
        var runFolder = Path.Combine(artifactRoot, "runs", run.Id.ToString());
        if (new RunCheckpoints(Path.Combine(runFolder, "checkpoints")).Latest() is { } latest)
            log.WriteLine($"run {run.Id}: resuming from the checkpoint of epoch {latest.Epoch}");
        var options = new TrainerOptions { RunName = $"run {run.Id}", CancelRequested = () => transitions.IsCancelRequestedAsync(run.Id).GetAwaiter().GetResult() };
        TrainingOutcome outcome;
        try
        {
            outcome = trainer.Train(new FamilyRunContext(spec, corpus, artifactRoot, runFolder, sink, options, log, cancellation));
        }
        finally
        {
            sink.FlushPendingSteps();
        }
        log.WriteLine($"run {run.Id}: {outcome.Status} after {outcome.EpochsCompleted} epochs, best epoch {outcome.BestEpoch}, test weighted F1 {outcome.TestAtBestEpoch?.Scores.WeightedF1:F4}");
        return outcome.Status == TrainingStatus.Canceled ? RunStatus.Canceled : RunStatus.Succeeded;
    }

    private static Models.Corpora.Corpus ImportCorpus(Data.Entities.Corpus entity, string artifactRoot)
    {
        var output = Path.Combine(artifactRoot, "corpora", entity.Name);
        // Extraction is cached in the folder; other trainers may be filling it right now.
        using var folderLock = FolderLock.AcquireAsync(output, TimeSpan.FromMinutes(30)).GetAwaiter().GetResult();
        var result = entity.Format switch
        {
            "meld" => new MeldImporter().Import(entity.SourcePath, output),
            "emosynth" => new MeldImporter { CorpusName = "emosynth" }.Import(entity.SourcePath, output),
            "iemocap" => new IemocapImporter().Import(entity.SourcePath, output),
            _ => throw new RunSetupException($"corpus '{entity.Name}' has unknown format '{entity.Format}'"),
        };
        return result.Corpus ?? throw new RunSetupException($"corpus '{entity.Name}' at {entity.SourcePath} no longer imports: {string.Join("; ", result.Report.Errors)}");
    }

    private static Models.Corpora.Corpus HoldOut(Models.Corpora.Corpus corpus, int fold)
    {
        try
        {
            return corpus.HoldingOutFold(fold);
        }
        catch (ArgumentException e)
        {
            throw new RunSetupException(e.Message);
        }
    }

    private static void RecordHashes(NpgsqlDataSource database, long runId, string specHash, string corpusHash)
    {
        using var command = database.CreateCommand("UPDATE runs SET spec_hash = @spec, corpus_hash = @corpus WHERE id = @run");
        command.Parameters.AddWithValue("spec", specHash);
        command.Parameters.AddWithValue("corpus", corpusHash);
        command.Parameters.AddWithValue("run", runId);
        command.ExecuteNonQuery();
    }

    /// <summary>The run cannot start: its spec, family or corpus is not usable.</summary>
    private sealed class RunSetupException(string message) : Exception(message);
}
