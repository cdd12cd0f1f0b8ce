using EmotionLab.Data.Queries;
using EmotionLab.Web.Startup;

namespace EmotionLab.Web.Components.Demo;

/// <summary>What the demo panel shows: the demo's state on this start, its grid's runs (oldest first), and the epochs and seeds it asked for.</summary>
public sealed record DemoView(DemoState State, IReadOnlyList<RunListItem> Runs, int Epochs, int Seeds)
{
    public int Finished => Runs.Count(r => !r.IsActive);
    public int Succeeded => Runs.Count(r => r.Status == Data.Entities.RunStatus.Succeeded);
    /// <summary>A run's place in the grid, from 1 ("run 3 of 9").</summary>
    public int Position(RunListItem run) => Runs.TakeWhile(r => r.Id != run.Id).Count() + 1;

    public bool Complete => State.Problem is not null || (State.GridId is not null && Runs.Count > 0 && Finished == Runs.Count);

    /// <summary>Null when this start found the demo finished (or the demo is off): the pages say nothing of it.</summary>
    public static async Task<DemoView?> LoadAsync(DemoProgress progress, RunListQuery runs, IConfiguration configuration, CancellationToken cancellation)
    {
        try
        {
            await progress.Decided.WaitAsync(TimeSpan.FromSeconds(10), cancellation);
        }
        catch (TimeoutException)
        {
            // The app has not finished starting: say what is known.
        }
        var state = progress.Current;
        if (!state.Shown) return null;
        var gridRuns = state.GridId is { } gridId
            ? (await runs.ExecuteAsync(new RunListFilter { GridId = gridId, Limit = RunListFilter.MaxLimit }, cancellation)).Runs.OrderBy(r => r.Id).ToList()
            : [];
        return new DemoView(state, gridRuns, configuration.GetValue("Demo:Epochs", 15), configuration.GetValue("Demo:Seeds", 3));
    }
}
