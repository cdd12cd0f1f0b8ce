using EmotionLab.Data;
using EmotionLab.Data.Accounts;
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
/// leaves them be, and the worker carries on with what is still queued. On an empty platform it
/// first makes the `demo` admin with a generated password, printed once on the console and kept in
/// artifacts/demo-admin.txt (readable by its owner only): there is no default password. Each step's progress goes
/// to <see cref="DemoProgress"/> for the pages, unless this start found the demo grid finished.
/// </summary>
public sealed class DemoSetup(
    IConfiguration configuration,
    IHostEnvironment environment,
    PlatformDatabase database,
    ExperimentSubmission submission,
    IHostApplicationLifetime lifetime,
    DemoProgress progress,
    IServiceScopeFactory scopes,
    ILogger<DemoSetup> log) : BackgroundService
{
    public const string CorpusName = "emosynth";
    public const string GridName = "demo: baselines on EmoSynth";
    /// <summary>The project the demo grid goes into, so the project filters have one to show on a first start.</summary>
    public const string ProjectName = "demo";
    public const string SpeakingStep = "Speaking EmoSynth";
    public const string ImportingStep = "Importing EmoSynth";
    public const string AdminName = "demo";
    public const string AdminFile = "demo-admin.txt";

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
            await EnsureAdminAsync(stoppingToken);
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

    private async Task EnsureAdminAsync(CancellationToken cancellation)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<LabUsers>();
        if (await users.AnyAsync(cancellation)) return;
        var made = await users.CreateFirstAdminAsync(AdminName, password: null, cancellation);
        if (!made.Succeeded) throw new InvalidOperationException($"making the demo admin failed: {string.Join("; ", made.Problems)}");

        var file = Path.Combine(ArtifactRoot.Resolve(configuration, environment), AdminFile);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.Delete(file);
        // Created readable by its owner only, before a byte is written.
        await using (var stream = new FileStream(file, new FileStreamOptions
                     {
                         Mode = FileMode.CreateNew, Access = FileAccess.Write,
                         UnixCreateMode = OperatingSystem.IsWindows() ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
                     }))
        await using (var writer = new StreamWriter(stream))
            await writer.WriteAsync($"user: {AdminName}\npassword: {made.Password}\n");
        // On the console, not in the log: a log is kept and shipped, the password must not be.
        Console.WriteLine($"\nDemo admin: user '{AdminName}', password '{made.Password}' (shown once; also in {file}, readable only by you).\n" +
                          "Sign in at the platform's address; change the password on the account page (top right).\n");
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
        await using var scope = scopes.CreateAsyncScope();
        var owner = await scope.ServiceProvider.GetRequiredService<EmotionLabDbContext>().Users
            .Where(u => u.UserName == AdminName).Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellation);
        var result = await submission.SubmitGridAsync(GridName, baseSpec, template.Axes, seeds, template.ReferenceVariant, cancellation, owner, project: ProjectName);
        if (!result.Succeeded)
            throw new InvalidOperationException($"queuing the demo grid failed: {string.Join("; ", result.Problems)}");
        progress.GridQueued(result.GridId!.Value);
        log.LogInformation("Demo: grid {Grid} queued: {Runs} runs", result.GridId, result.RunIds.Count);
    }
}
