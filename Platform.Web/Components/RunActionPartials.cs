using EmotionLab.Data;
using EmotionLab.Data.Queries;
using EmotionLab.Web.Api;
using EmotionLab.Web.Components.Runs;
using EmotionLab.Web.Runs;
using EmotionLab.Worker.Queue;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Components;

/// <summary>
/// The htmx side of cancel and retry, and the fragments they answer with: a runs table row
/// (/runs/{id}/row) or the run page's summary, chosen by ?view=row|summary. A change also fires
/// the "run-changed" event (HX-Trigger), so the run page restarts its charts and log. The trainer
/// log tail is /runs/{id}/log.
/// </summary>
public static class RunActionPartials
{
    private const string RowView = "row";
    private const string SummaryView = "summary";

    public static IEndpointRouteBuilder MapRunActionPartials(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/runs/{id:long}/cancel", (long id, string? view, RunControl control, HttpContext http, CancellationToken cancellation) =>
            ActAsync(id, view, control.CancelAsync, http, cancellation)).RequireAntiforgeryToken();
        endpoints.MapPost("/runs/{id:long}/retry", (long id, string? view, RunControl control, HttpContext http, CancellationToken cancellation) =>
            ActAsync(id, view, control.RetryAsync, http, cancellation)).RequireAntiforgeryToken();
        endpoints.MapGet("/runs/{id:long}/row", (long id, HttpContext http, CancellationToken cancellation) => FragmentAsync(id, RowView, http, cancellation));
        endpoints.MapGet("/runs/{id:long}/log", LogAsync);
        return endpoints;
    }

    private static async Task<IResult> ActAsync(long id, string? view, Func<long, CancellationToken, Task<RunActionOutcome>> action, HttpContext http, CancellationToken cancellation)
    {
        view ??= RowView;
        if (view is not (RowView or SummaryView))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["view"] = [$"'{view}' is not a view; use {RowView} or {SummaryView}"] });
        var outcome = await action(id, cancellation);
        if (!outcome.Found) return RunsApi.RunNotFound(id);
        // A cancel of a run that just finished changes nothing: the fragment then shows how it ended.
        if (outcome.Changed) http.Response.Headers["HX-Trigger"] = "run-changed";
        return await FragmentAsync(id, view, http, cancellation);
    }

    private static async Task<IResult> FragmentAsync(long id, string view, HttpContext http, CancellationToken cancellation)
    {
        var services = http.RequestServices;
        if (view == SummaryView)
            return await services.GetRequiredService<RunDetailQuery>().ExecuteAsync(id, cancellation) is { } detail
                ? new RazorComponentResult<RunSummary>(new Dictionary<string, object?> { [nameof(RunSummary.Detail)] = detail })
                : RunsApi.RunNotFound(id);
        return await services.GetRequiredService<RunListQuery>().FindAsync(id, cancellation) is { } row
            ? new RazorComponentResult<RunTableRow>(new Dictionary<string, object?> { [nameof(RunTableRow.Run)] = row, [nameof(RunTableRow.PollsItself)] = true })
            : RunsApi.RunNotFound(id);
    }

    private static async Task<Results<RazorComponentResult<RunLog>, ProblemHttpResult>> LogAsync(long id, EmotionLabDbContext db, CancellationToken cancellation)
    {
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.Status, r.FinishedAt, r.LogPath }).SingleOrDefaultAsync(cancellation);
        if (run is null) return RunsApi.RunNotFound(id);
        return new RazorComponentResult<RunLog>(new Dictionary<string, object?>
        {
            [nameof(RunLog.RunId)] = id, [nameof(RunLog.Status)] = run.Status, [nameof(RunLog.FinishedAt)] = run.FinishedAt, [nameof(RunLog.LogPath)] = run.LogPath,
            [nameof(RunLog.Tail)] = run.LogPath is { } path ? RunLogTail.Read(path) : null,
        });
    }
}
