using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Worker.Grids;

namespace EmotionLab.Web.Components.Dashboard;

/// <summary>What the dashboard shows: runs per status, the runs training now, the latest grids with their best variant, the day's failures, the worker slots.</summary>
public sealed record DashboardView(
    IReadOnlyDictionary<RunStatus, int> Counts,
    IReadOnlyList<RunListItem> Active,
    IReadOnlyList<GridHighlight> Grids,
    IReadOnlyList<RecentFailure> Failures,
    int BusySlots,
    int Slots)
{
    public const int LatestGrids = 5;
    public const int ActiveShown = 20;

    public int TotalRuns => Counts.Values.Sum();

    public static async Task<DashboardView> LoadAsync(IServiceProvider services, IReadOnlyList<QueueServer> servers, DateTimeOffset now)
    {
        var counts = await services.GetRequiredService<RunStatusCountsQuery>().ExecuteAsync();
        var active = await services.GetRequiredService<RunListQuery>().ExecuteAsync(new RunListFilter { Status = RunStatus.Running, Limit = ActiveShown });
        var grids = new List<GridHighlight>();
        foreach (var grid in (await services.GetRequiredService<GridListQuery>().ExecuteAsync()).Take(LatestGrids))
        {
            var results = await services.GetRequiredService<GridResultsQuery>().ExecuteAsync(grid.Id);
            grids.Add(new GridHighlight(grid, results is null ? null : BestVariant(results)));
        }
        var failures = await services.GetRequiredService<RecentFailuresQuery>().ExecuteAsync(now.AddDays(-1));
        return new DashboardView(counts, active.Runs, grids, failures, counts[RunStatus.Running], servers.Sum(s => s.Workers));
    }

    // The variant with the highest mean test weighted F1 over its seeds.
    private static BestVariant? BestVariant(GridResults results) => results.Variants
        .Select(v => (v.Variant, Scores: v.Metrics[GridMetric.WeightedF1]))
        .Where(v => v.Scores.Mean is not null)
        .OrderByDescending(v => v.Scores.Mean)
        .Select(v => new BestVariant(v.Variant, v.Scores.Mean!.Value, v.Scores.N))
        .FirstOrDefault();
}

/// <summary>A grid on the dashboard and its best variant so far (null before any test score).</summary>
public sealed record GridHighlight(GridListItem Grid, BestVariant? Best);

public sealed record BestVariant(string Variant, double Mean, int N);
