using EmotionLab.Data;
using EmotionLab.Models.Corpora;
using EmotionLab.Web.Startup;
using EmotionLab.Worker.Corpora;

namespace EmotionLab.Web.Corpora;

/// <summary>
/// Runs the imports started from the Corpora page in the background, one at a time (an import
/// extracts audio with ffmpeg on every core it is given; two at once would only compete), and keeps
/// the latest ones' status in memory for the page to poll. Each import registers the corpus with
/// <see cref="CorpusRegistration"/> into ArtifactRoot/corpora/NAME, the folder the trainer uses.
/// Stopping the app cancels the import between stages; its transaction is never committed.
/// </summary>
public sealed class CorpusImports(
    PlatformDatabase database, IConfiguration configuration, IHostEnvironment environment, IHostApplicationLifetime lifetime,
    TimeProvider clock, ILogger<CorpusImports> log)
{
    /// <summary>Finished imports kept for the page (older ones are forgotten; what they stored stays in the database).</summary>
    private const int Kept = 20;

    private readonly Lock gate = new();
    private readonly List<Tracked> imports = [];
    private int lastId;

    public CorpusImportStatus? Find(int id)
    {
        lock (gate) return imports.FirstOrDefault(i => i.Status.Id == id)?.Status;
    }

    /// <summary>Every import kept, oldest first: the change feed compares these snapshots to tell pages that an import moved on.</summary>
    public IReadOnlyList<CorpusImportStatus> All()
    {
        lock (gate) return [.. imports.Select(i => i.Status)];
    }

    public CorpusImportStatus? Running()
    {
        lock (gate) return imports.LastOrDefault(i => i.Status.IsRunning)?.Status;
    }

    /// <summary>Starts an import unless the request is invalid or another import runs; returns at once.</summary>
    public CorpusImportStart Start(string name, string format, string sourcePath, bool replace)
    {
        var request = new CorpusRegistrationRequest(name, format, sourcePath,
            CorpusRegistrationRequest.OutputFolderFor(ArtifactRoot.Resolve(configuration, environment), name), replace);
        if (request.Validate() is { Count: > 0 } problems) return new CorpusImportStart(null, problems);

        Tracked tracked;
        lock (gate)
        {
            if (imports.FirstOrDefault(i => i.Status.IsRunning) is { } running)
                return CorpusImportStart.Refused($"the import of '{running.Status.Name}' is still running ({running.Status.Progress})",
                    "wait for it to finish, then import again; one import runs at a time");
            tracked = new Tracked(new CorpusImportStatus(++lastId, name, format, sourcePath, replace, clock.GetUtcNow(), new ImportProgress("starting")));
            imports.Add(tracked);
            var finished = imports.Where(i => !i.Status.IsRunning).ToList();
            foreach (var old in finished.Take(Math.Max(0, finished.Count - Kept))) imports.Remove(old);
        }
        _ = Task.Run(() => RunAsync(tracked, request));
        return new CorpusImportStart(tracked.Status, []);
    }

    private async Task RunAsync(Tracked tracked, CorpusRegistrationRequest request)
    {
        try
        {
            var result = await new CorpusRegistration(database.DataSource, clock).RegisterAsync(request, tracked, lifetime.ApplicationStopping);
            tracked.Finish(result.Succeeded ? CorpusImportOutcome.Succeeded : CorpusImportOutcome.Failed, result.CorpusId, result.Problems, clock.GetUtcNow());
            if (result.Succeeded) log.LogInformation("Corpus {Name} stored as corpus {Id} from {Source}", request.Name, result.CorpusId, request.SourcePath);
            else log.LogWarning("Import of corpus {Name} from {Source} failed: {Problems}", request.Name, request.SourcePath, string.Join("; ", result.Errors));
        }
        catch (OperationCanceledException)
        {
            tracked.Finish(CorpusImportOutcome.Failed, null,
                [new ImportProblem("", null, "the app stopped during the import", "nothing was stored; import again", ProblemSeverity.Error)], clock.GetUtcNow());
        }
        catch (Exception e)
        {
            log.LogError(e, "Import of corpus {Name} from {Source} crashed", request.Name, request.SourcePath);
            tracked.Finish(CorpusImportOutcome.Failed, null,
                [new ImportProblem("", null, $"{e.GetType().Name}: {e.Message}", "nothing was stored; see the app's log", ProblemSeverity.Error)], clock.GetUtcNow());
        }
    }

    /// <summary>One import's status, updated from the import's threads (MELD reports from its audio workers).</summary>
    private sealed class Tracked(CorpusImportStatus initial) : IProgress<ImportProgress>
    {
        private readonly Lock gate = new();
        private CorpusImportStatus status = initial;

        public CorpusImportStatus Status
        {
            get { lock (gate) return status; }
        }

        public void Report(ImportProgress value)
        {
            lock (gate)
            {
                // Parallel workers may report out of order: a stage's count never goes back.
                if (!status.IsRunning || (value.Stage == status.Progress.Stage && value.Done < status.Progress.Done)) return;
                status = status with { Progress = value };
            }
        }

        public void Finish(CorpusImportOutcome outcome, long? corpusId, IReadOnlyList<ImportProblem> problems, DateTimeOffset at)
        {
            lock (gate) status = status with { Outcome = outcome, CorpusId = corpusId, Problems = problems, FinishedAt = at };
        }
    }
}
