using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Corpora.EmoSynth;
using EmotionLab.Models.Experiments;
using EmotionLab.Worker.Corpora;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Startup;

/// <summary>
/// The demo (Demo:Enabled, set by scripts/start.sh): once the app is up, generate EmoSynth
/// (Demo:Dialogues, default 200), import it as corpus "emosynth", and queue the baselines grid
/// over Demo:Seeds seeds. Each step happens once: a restart finds the corpus and the grid and
/// leaves them be, and the worker carries on with what is still queued. Each step's progress goes
/// to <see cref="DemoProgress"/> for the pages, unless this start found the demo grid finished.
/// </summary>
public sealed class DemoSetup(
    IConfiguration configuration,
    IHostEnvironment environment,
    PlatformDatabase database,
    ExperimentSubmission submission,
    IHostApplicationLifetime lifetime,
    DemoProgress progress,
    ILogger<DemoSetup> log) : BackgroundService
{
    public const string CorpusName = "emosynth";
    public const string GridName = "demo: baselines on EmoSynth";
    public const string SpeakingStep = "Speaking EmoSynth";
    public const string ImportingStep = "Importing EmoSynth";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Demo:Enabled", false))
        {
            progress.Hide();
            return;
        }
        // After the schema migration and the queue have started.
        await WhenStartedAsync(stoppingToken);
        try
        {
            if (await FinishedAsync(stoppingToken)) progress.Hide();
            else progress.Show();
            await EnsureCorpusAsync(stoppingToken);
            await EnsureGridAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "The demo could not be set up: {Message}", e.Message);
            progress.Failed(e.Message);
        }
    }

    // The demo grid exists and none of its runs is queued or running.
    private async Task<bool> FinishedAsync(CancellationToken cancellation)
    {
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(database.ConnectionString));
        return await db.Grids.Where(g => g.Name == GridName).Select(g => (long?)g.Id).FirstOrDefaultAsync(cancellation) is { } gridId
               && !await db.Runs.AnyAsync(r => r.GridId == gridId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running), cancellation);
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    private async Task EnsureCorpusAsync(CancellationToken cancellation)
    {
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(database.ConnectionString));
        if (await db.Corpora.AnyAsync(c => c.Name == CorpusName, cancellation)) return;

        var artifacts = ArtifactRoot.Resolve(configuration, environment);
        var source = Path.Combine(artifacts, "demo", "emosynth");
        var dialogues = configuration.GetValue("Demo:Dialogues", 200);
        log.LogInformation("Demo: generating EmoSynth ({Dialogues} dialogues) in {Folder}", dialogues, source);
        var summary = await EmoSynthGenerator.GenerateAsync(source, new EmoSynthOptions(dialogues, Seed: 1), cancellation,
            progress.Step(SpeakingStep));
        log.LogInformation("Demo: {Utterances} utterances in {Seconds:F1} s; importing", summary.Utterances, summary.Elapsed.TotalSeconds);

        var registration = new CorpusRegistration(database.DataSource);
        var result = await Task.Run(() => registration.RegisterAsync(
            new CorpusRegistrationRequest(CorpusName, "emosynth", source, CorpusRegistrationRequest.OutputFolderFor(artifacts, CorpusName)),
            progress.Step(ImportingStep), cancellation), cancellation);
        if (!result.Succeeded)
            throw new InvalidOperationException($"importing the demo corpus failed: {string.Join("; ", result.Errors)}");
        log.LogInformation("Demo: corpus {Name} imported", CorpusName);
    }

    private async Task EnsureGridAsync(CancellationToken cancellation)
    {
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(database.ConnectionString));
        if (await db.Grids.Where(g => g.Name == GridName).Select(g => (long?)g.Id).FirstOrDefaultAsync(cancellation) is { } existing)
        {
            progress.GridQueued(existing);
            return;
        }

        var template = GridTemplates.Find("baselines")!;
        var seeds = Enumerable.Range(1, configuration.GetValue("Demo:Seeds", 3)).ToArray();
        var baseSpec = template.BaseSpecFor(CorpusName) with { Epochs = configuration.GetValue("Demo:Epochs", 15) };
        var result = await submission.SubmitGridAsync(GridName, baseSpec, template.Axes, seeds, template.ReferenceVariant, cancellation);
        if (!result.Succeeded)
            throw new InvalidOperationException($"queuing the demo grid failed: {string.Join("; ", result.Problems)}");
        progress.GridQueued(result.GridId!.Value);
        log.LogInformation("Demo: grid {Grid} queued: {Runs} runs", result.GridId, result.RunIds.Count);
    }
}
