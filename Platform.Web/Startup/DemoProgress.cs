using EmotionLab.Models.Corpora;

namespace EmotionLab.Web.Startup;

/// <summary>
/// What the demo is doing on this start, for the dashboard and the Corpora page: speaking EmoSynth
/// and importing it (n of N, as <see cref="DemoSetup"/> is told), then the demo grid, whose runs the
/// pages read from the database. Shown only when this start found the demo unfinished, so a
/// restart after the demo grid completed says nothing of it.
/// </summary>
public sealed class DemoProgress
{
    private readonly Lock gate = new();
    private readonly TaskCompletionSource decided = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DemoState state = DemoState.Hidden;

    public DemoState Current
    {
        get { lock (gate) return state; }
    }

    /// <summary>
    /// Done once this start knows whether it shows the demo (a query right after the app starts):
    /// a page loaded before that waits, so it neither misses a first start nor mentions a finished demo.
    /// </summary>
    public Task Decided => decided.Task;

    public void Show()
    {
        Update(s => s with { Shown = true });
        decided.TrySetResult();
    }

    /// <summary>The demo is off, or this start found it finished.</summary>
    public void Hide() => decided.TrySetResult();

    /// <summary>The reports of a step before the grid (speaking EmoSynth, importing it), taken as they come from the worker threads.</summary>
    public IProgress<ImportProgress> Step(string step) => new StepReports(this, step);

    private void Preparing(string step, ImportProgress progress) => Update(s =>
        // Worker threads report out of order: a count never goes back within a stage.
        s.Step == step && s.Progress is { } last && last.Stage == progress.Stage && progress.Done < last.Done ? s : s with { Shown = true, Step = step, Progress = progress });

    public void GridQueued(long gridId) => Update(s => s with { Step = null, Progress = null, GridId = gridId });

    public void Failed(string problem)
    {
        Update(s => s with { Shown = true, Problem = problem });
        decided.TrySetResult();
    }

    private void Update(Func<DemoState, DemoState> change)
    {
        lock (gate) state = change(state);
    }

    private sealed class StepReports(DemoProgress demo, string step) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => demo.Preparing(step, value);
    }
}

/// <summary>The demo's state on this start: hidden, a preparation step with its progress, the queued grid, or why it failed.</summary>
public sealed record DemoState(bool Shown, string? Step, ImportProgress? Progress, long? GridId, string? Problem)
{
    public static DemoState Hidden { get; } = new(false, null, null, null, null);
}
