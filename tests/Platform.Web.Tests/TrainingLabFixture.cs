using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Corpora.EmoSynth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The web app as one machine runs it: its in-process worker node (one slot) trains the runs that
/// the tests queue, in child trainer processes, on a small EmoSynth corpus generated on disk and
/// registered as corpus "emosynth" (the trainer imports it from that folder). A throwaway
/// PostgreSQL of its own keeps these runs out of the read-only lab of <see cref="WebAppFixture"/>.
/// </summary>
public sealed class TrainingLabFixture : IAsyncLifetime
{
    public const string CorpusName = "emosynth";
    private readonly ThrowawayPostgres postgres = new();
    private readonly string root = Directory.CreateTempSubdirectory("emotionlab-web-training-").FullName;
    private WebApplicationFactory<Program>? factory;

    public string CorpusFolder => Path.Combine(root, "emosynth");
    public string ArtifactRoot => Path.Combine(root, "artifacts");
    public ThrowawayPostgres Postgres => postgres;
    public Uri BaseAddress { get; private set; } = default!;
    public HttpClient Client { get; private set; } = default!;
    public IServiceProvider Services => factory!.Services;

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        // Small enough that a text baseline trains an epoch in well under a second.
        await EmoSynthGenerator.GenerateAsync(CorpusFolder, new EmoSynthOptions(40, Seed: 5) { MinTurns = 4, MaxTurns = 8 });
        await using (var db = postgres.NewContext())
        {
            db.Corpora.Add(new Corpus { Name = CorpusName, Format = "emosynth", SourcePath = CorpusFolder, ContentHash = "-", ImportedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        factory = new LabWebApp(postgres.ConnectionString, new Dictionary<string, string>
        {
            ["ArtifactRoot"] = ArtifactRoot,
            ["Worker:InProcess"] = "true",
            ["Worker:Slots"] = "1",
            ["Worker:Name"] = "training-lab-web",
        });
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

        // The hosted service starts the scheduler once the app has started: a pause before that would be undone by it.
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        for (var waited = 0; await scheduler.GetStatus() != SchedulerStatus.Running; waited += 50)
        {
            if (waited > 30_000) throw new TimeoutException("the in-process worker's scheduler did not start within 30 s");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Stops the node taking runs off the queue until the returned handle is disposed, so a test can
    /// see runs Queued (or act on them) before any trains; the scheduler keeps its jobs meanwhile.
    /// </summary>
    public async Task<IAsyncDisposable> PauseWorkerAsync()
    {
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
        return new WorkerResumption(scheduler);
    }

    /// <summary>Whether the run's job is on the Quartz queue.</summary>
    public async Task<bool> IsOnQueueAsync(long runId)
    {
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return await scheduler.GetJobDetail(Worker.Queue.RunQueue.KeyOf(runId)) is not null;
    }

    public async Task<Run> RunAsync(long runId)
    {
        await using var db = postgres.NewContext();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
    }

    /// <summary>Waits until the run has one of the statuses; fails with the run's state when it does not come within the timeout.</summary>
    public async Task<Run> WaitForStatusAsync(long runId, TimeSpan timeout, params RunStatus[] statuses)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await RunAsync(runId);
            if (statuses.Contains(run.Status)) return run;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"run {runId} is {run.Status} (progress {run.Progress:P0}, error {run.Error ?? "none"}) after {timeout.TotalSeconds:0} s, not {string.Join(" or ", statuses)}");
            await Task.Delay(250);
        }
    }

    /// <summary>Waits until the run has finished at least one epoch.</summary>
    public async Task WaitForProgressAsync(long runId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((await RunAsync(runId)) is { Progress: 0 } run)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"run {runId} is {run.Status} and has not finished an epoch after {timeout.TotalSeconds:0} s");
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (factory is not null) await factory.DisposeAsync();
        await postgres.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    private sealed class WorkerResumption(IScheduler scheduler) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await scheduler.Start();
    }
}

[CollectionDefinition(nameof(TrainingLabFixture))]
public sealed class TrainingLabCollection : ICollectionFixture<TrainingLabFixture>;
