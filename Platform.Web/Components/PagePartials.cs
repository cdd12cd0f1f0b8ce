using EmotionLab.Data.Queries;
using EmotionLab.Web.Api;
using EmotionLab.Web.Components.Corpora;
using EmotionLab.Web.Components.Grids;
using EmotionLab.Web.Components.Runs;
using EmotionLab.Worker.Grids;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Components;

/// <summary>HTML fragments that htmx swaps into the pages: the runs table body, a run's live summary and a grid's table.</summary>
public static class PagePartials
{
    public static IEndpointRouteBuilder MapPagePartials(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/runs/rows", RunRowsAsync);
        endpoints.MapGet("/runs/{id:long}/summary", RunSummaryAsync);
        endpoints.MapCorpusPartials();
        endpoints.MapGet("/grids/{id:long}/table", GridTableAsync);
        return endpoints;
    }

    private static async Task<Results<RazorComponentResult<RunTableBody>, ValidationProblem>> RunRowsAsync(HttpRequest request, RunListQuery query, CancellationToken cancellation)
    {
        var (filter, errors) = RunListFilterParser.Parse(request.Query);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var page = await query.ExecuteAsync(filter, cancellation);
        return new RazorComponentResult<RunTableBody>(new Dictionary<string, object?>
        {
            [nameof(RunTableBody.Page)] = page,
            [nameof(RunTableBody.RowsUrl)] = "/runs/rows" + RunListFilterParser.ToQueryString(filter, filter.Before),
        });
    }

    private static async Task<Results<RazorComponentResult<RunSummary>, ProblemHttpResult>> RunSummaryAsync(long id, RunDetailQuery query, CancellationToken cancellation) =>
        await query.ExecuteAsync(id, cancellation) is { } detail
            ? new RazorComponentResult<RunSummary>(new Dictionary<string, object?> { [nameof(RunSummary.Detail)] = detail })
            : RunsApi.RunNotFound(id);

    // An unknown interval or adjustment falls back to the default, as the page does.
    private static async Task<Results<RazorComponentResult<GridComparisonTable>, ProblemHttpResult>> GridTableAsync(long id, string? reference, string? interval, string? adjust,
        GridResultsQuery query, CancellationToken cancellation) =>
        await query.ExecuteAsync(id, cancellation) is { } results
            ? new RazorComponentResult<GridComparisonTable>(new Dictionary<string, object?>
            {
                [nameof(GridComparisonTable.Comparison)] = GridComparison.Build(results, reference, TableStatistics.Parse(interval, adjust).Statistics),
            })
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Grid not found", detail: $"There is no grid {id}.");
}
