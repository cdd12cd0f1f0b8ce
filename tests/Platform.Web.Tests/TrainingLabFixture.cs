using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Corpora.EmoSynth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using EmotionLab.Worker.Queue;
using Hangfire;

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
    public const string NodeName = "training-lab-web";
    private readonly ThrowawayPostgres postgres = new();
    private readonly string root = Directory.CreateTempSubdirectory("emotionlab-web-training-").FullName;
    private LabWebApp? factory;

    public string CorpusFolder => Path.Combine(root, "emosynth");
    public string ArtifactRoot => Path.Combine(root, "artifacts");
    public ThrowawayPostgres Postgres => postgres;
    public Uri BaseAddress { get; private set; } = default!;
    /// <summary>Acts as <see cref="Session"/>'s admin, with its token; redirects are not followed.</summary>
    public HttpClient Client { get; private set; } = default!;
    /// <summary>An admin signed in: every page and action is open to them.</summary>
    public LabSession Session { get; private set; } = default!;
    public IServiceProvider Services => factory!.Services;
    /// <summary>What the app logged (its warnings, the change feed's looks), for a failing test's message.</summary>
    public RecordedLogs Logs => factory!.Logs;

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
            ["Worker:Name"] = NodeName,
        });
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Session = await LabSession.CreateAsync(Services, BaseAddress, "lab-admin", EmotionLab.Data.Accounts.LabRoles.Admin);
        Client = Session.TokenClient(followRedirects: false);

        // The node is a Hangfire server once the app has started.
        var servers = Services.GetRequiredService<QueueServerList>();
        for (var waited = 0; !servers.Live().Any(server => server.IsServerOf(NodeName)); waited += 100)
        {
            if (waited > 30_000) throw new TimeoutException("the in-process worker node did not join Hangfire's server list within 30 s");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Keeps the node from taking runs off the queue until the returned handle is disposed, so a test
    /// can see runs Queued (or act on them) before any trains: a <see cref="SlotHolder"/> job takes
    /// the node's only slot (after the run in it, if any, ends) and gives it back on dispose.
    /// </summary>
    public Task<IAsyncDisposable> PauseWorkerAsync() => SlotHolder.TakeAsync(Services.GetRequiredService<IBackgroundJobClient>(), TimeSpan.FromMinutes(2));

    /// <summary>Whether the run's job waits on the queue (Hangfire state Enqueued).</summary>
    public async Task<bool> IsOnQueueAsync(long runId) =>
        (await Services.GetRequiredService<RunQueue>().StandingAsync(runId, [])) is { State: "Enqueued" };

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
}

[CollectionDefinition(nameof(TrainingLabFixture))]
public sealed class TrainingLabCollection : ICollectionFixture<TrainingLabFixture>;
