using EmotionLab.Data.Queries.Comparison;
using EmotionLab.Web.Compare;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Api;

/// <summary>
/// GET /api/compare?runs=12,15,18 or ?grid=3&amp;variant=full&amp;variant=…: what the compare
/// page's charts draw (<see cref="CompareJson"/>). 400 for a malformed or empty request, 404 when
/// none of the runs (or the grid, or its variants asked for) exist; unknown ids among known ones
/// are listed in missing and problems.
/// </summary>
public static class CompareApi
{
    public static IEndpointRouteBuilder MapCompareApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/compare", GetAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<CompareJson>, ValidationProblem, ProblemHttpResult>> GetAsync(
        HttpRequest http, ComparisonLoader loader, ComparisonChartsQuery chartsQuery, CancellationToken cancellation)
    {
        var (request, errors) = CompareRequest.Parse(http.Query);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (request.IsEmpty)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Nothing to compare",
                detail: "Name the runs (runs=12,15,18) or a grid and its variants (grid=3&variant=full&variant=...).");
        var loaded = await loader.LoadAsync(request, cancellation);
        if (loaded.StatusCode == StatusCodes.Status404NotFound)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Nothing to compare", detail: string.Join(" ", loaded.Problems));
        var charts = await chartsQuery.ExecuteAsync(loaded.Runs.Select(r => r.Id).ToList(), cancellation);
        return TypedResults.Ok(CompareJson.From(loaded, charts));
    }
}
