using EmotionLab.Data;
using EmotionLab.Web.Corpora;
using EmotionLab.Web.Startup;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Live;

/// <summary>
/// The one server-side source of change for every open page. Once a second it reads the runs that
/// are active or finished since the previous look (a few rows, each probe an index lookup) and the
/// deletions recorded since, and
/// every few seconds the worker nodes that are up, and the demo's setup and the corpus imports (in memory); it tells the
/// subscribed pages which runs and grids changed. One query a second however many pages are open, instead of a timer per component.
/// </summary>
public sealed class LabChanges(
    IServiceScopeFactory scopes, QueueServerList servers, DemoProgress demo, CorpusImports imports, TimeProvider time, ILogger<LabChanges> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int WorkerLookEvery = 5;

    private readonly Lock gate = new();
    private ImmutableSubscribers subscribers = new([]);
    private Dictionary<long, RunPulse> previous = [];
    private long? lastDeletion;
    private string previousWorkers = "";
    private DemoState previousDemo = DemoState.Hidden;
    private IReadOnlyList<CorpusImportStatus> previousImports = [];
    private long published;

    /// <summary>How many changes have been published so far: a page that read its data before it subscribed compares it to catch what came in between.</summary>
    public long Published => Interlocked.Read(ref published);

    /// <summary>What the feed is doing and since when, for a diagnosis of pages that stopped following.</summary>
    public string Doing => $"{doing} since {doingSince:HH:mm:ss.fff}; {Interlocked.Read(ref lookCount)} looks";

    private volatile string doing = "not started";
    private DateTimeOffset doingSince;
    private long lookCount;

    private void Now(string what)
    {
        doingSince = time.GetUtcNow();
        doing = what;
    }

    /// <summary>
    /// Calls handler after each look that found a change, until the returned handle is disposed. The
    /// handler must return at once (a page starts its refresh and lets the look go on to the next page).
    /// </summary>
    public IDisposable Subscribe(Action<LabChange> handler)
    {
        lock (gate) subscribers = subscribers.With(handler);
        return new Subscription(this, handler);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var since = time.GetUtcNow();
        var looks = 0;
        do
        {
            try
            {
                Interlocked.Increment(ref lookCount);
                var now = time.GetUtcNow();
                var change = await LookAsync(since - Interval, looks++ % WorkerLookEvery == 0, stopping);
                since = now;
                Now("publishing");
                if (change.Any) Publish(change);
                Now("waiting for the next tick");
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // The database may be starting or restarting: pages keep what they show and the next look tries again.
                log.LogWarning(e, "Looking for changes failed; trying again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
    }

    private async Task<LabChange> LookAsync(DateTimeOffset finishedSince, bool lookAtWorkers, CancellationToken cancellation)
    {
        Now("reading the runs");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmotionLabDbContext>();
        var pulses = await db.Database.SqlQuery<RunPulse>($"""
            SELECT r.id AS "Id", r.grid_id AS "GridId", r.status AS "Status", r.queued_at AS "QueuedAt", r.progress AS "Progress", r.attempt AS "Attempt",
                   r.cancel_requested AS "CancelRequested", r.best_epoch AS "BestEpoch", r.node AS "Node",
                   (SELECT max(s.step) FROM step_losses s WHERE s.run_id = r.id) AS "LastStep",
                   (SELECT count(*)::int FROM epoch_metrics m WHERE m.run_id = r.id) AS "Scores"
            FROM runs r
            WHERE r.status IN ('Queued', 'Running') OR r.finished_at >= {finishedSince}
            """).ToDictionaryAsync(p => p.Id, cancellation);

        // A run that was active and is no longer in the look finished before finishedSince's margin: it changed too.
        var runs = new HashSet<long>();
        var grids = new HashSet<long>();
        foreach (var pulse in pulses.Values)
            if (!previous.TryGetValue(pulse.Id, out var before) || before != pulse) Add(pulse);
        foreach (var gone in previous.Values.Where(p => !pulses.ContainsKey(p.Id) && p.Status is "Queued" or "Running")) Add(gone);
        if (log.IsEnabled(LogLevel.Debug))
            log.LogDebug("Looked at the runs finished since {Since:HH:mm:ss.fff} or active: [{Pulses}]; changed: [{Runs}]",
                finishedSince, string.Join("; ", pulses.Values), string.Join(",", runs));
        previous = pulses;

        // A deleted run is in no look: its deletion's record names it, and its grid. The first look only marks where the records stand.
        if (lastDeletion is not { } seen) lastDeletion = await db.Deletions.AsNoTracking().MaxAsync(d => (long?)d.Id, cancellation) ?? 0;
        else
            foreach (var deletion in await db.Deletions.AsNoTracking().Where(d => d.Id > seen).OrderBy(d => d.Id)
                         .Select(d => new { d.Id, d.RunIds, d.GridId }).ToListAsync(cancellation))
            {
                runs.UnionWith(deletion.RunIds);
                if (deletion.GridId is { } grid) grids.Add(grid);
                lastDeletion = deletion.Id;
            }

        var workers = false;
        if (lookAtWorkers)
        {
            Now("reading the worker nodes");
            var up = string.Join(",", servers.Live().Select(s => s.Id));
            workers = up != previousWorkers;
            previousWorkers = up;
        }
        Now("reading the demo and the imports");
        var demoNow = demo.Current;
        var demoChanged = demoNow != previousDemo;
        previousDemo = demoNow;
        // An import's status is a snapshot replaced on every report: a new reference is a change.
        var importsNow = imports.All();
        var importsChanged = !importsNow.SequenceEqual(previousImports, ReferenceEqualityComparer.Instance);
        previousImports = importsNow;
        return new LabChange(runs, grids, workers, demoChanged, importsChanged);

        void Add(RunPulse pulse)
        {
            runs.Add(pulse.Id);
            if (pulse.GridId is { } grid) grids.Add(grid);
        }
    }

    private void Publish(LabChange change)
    {
        Interlocked.Increment(ref published);
        foreach (var handler in subscribers.Handlers)
        {
            try { handler(change); }
            catch (Exception e) { log.LogWarning(e, "A page failed to take a change"); }
        }
    }

    private void Unsubscribe(Action<LabChange> handler)
    {
        lock (gate) subscribers = subscribers.Without(handler);
    }

    // Copy-on-write: publishing walks a snapshot while pages come and go.
    private sealed record ImmutableSubscribers(IReadOnlyList<Action<LabChange>> Handlers)
    {
        public ImmutableSubscribers With(Action<LabChange> handler) => new([.. Handlers, handler]);
        public ImmutableSubscribers Without(Action<LabChange> handler) => new([.. Handlers.Where(h => h != handler)]);
    }

    private sealed class Subscription(LabChanges owner, Action<LabChange> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
