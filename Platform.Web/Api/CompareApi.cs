using EmotionLab.Data.Queries.Comparison;
using EmotionLab.Web.Compare;
using EmotionLab.Worker.Figures;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Api;

/// <summary>
/// GET /api/compare?runs=12,15,18 or ?grid=3&amp;variant=full&amp;variant=…: what the compare
/// page's charts draw (<see cref="CompareJson"/>). 400 for a malformed or empty request, 404 when
/// none of the runs (or the grid, or its variants asked for) exist; unknown ids among known ones
/// are listed in missing and problems. GET /api/compare/figures/{figure} draws one of the page's
/// figures as a file (<see cref="CompareFigureRequest"/>): the page's SVG, at a paper's size.
/// </summary>
public static class CompareApi
{
    public static IEndpointRouteBuilder MapCompareApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/compare", GetAsync);
        endpoints.MapGet("/api/compare/figures/{figure}", GetFigureAsync);
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

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetFigureAsync(
        string figure, HttpRequest http, ComparisonLoader loader, ComparisonChartsQuery chartsQuery, CancellationToken cancellation)
    {
        var (selection, errors) = CompareRequest.Parse(http.Query);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        ProblemHttpResult Bad(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad figure option", detail: detail);
        if (selection.IsEmpty) return Bad("Name the runs (runs=12,15,18) or a grid and its variants (grid=3&variant=full&variant=...).");
        if (FigureFormat.Find(http.Query["format"].FirstOrDefault() ?? FigureFormat.Svg.Name) is not { } format) return Bad("Unknown figure format: use svg or png.");
        if (FigureSize.Find(http.Query["size"].FirstOrDefault() ?? FigureSize.Single.Name) is not { } size) return Bad("Unknown size: use single or double.");
        long? Id(string name) => long.TryParse(http.Query[name].FirstOrDefault(), out var id) ? id : null;
        var request = new CompareFigureRequest(selection, figure, http.Query["normalised"] == "true", Id("run"), Id("experiment"));
        if (request.Problem() is { } problem) return Bad(problem + ".");

        var loaded = await loader.LoadAsync(selection, cancellation);
        if (loaded.Runs.Count == 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Nothing to compare", detail: string.Join(" ", loaded.Problems));
        var charts = await chartsQuery.ExecuteAsync(loaded.Runs.Select(r => r.Id).ToList(), cancellation);
        var (drawn, missing) = request.Draw(loaded.Runs, new CompareFigures(loaded.Runs, charts, selection.Grouping == CompareGrouping.Variant));
        return drawn is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No figure", detail: missing + ".")
            : TypedResults.File(drawn.Render(format, size), format.ContentType, drawn.FileName(format));
    }
}
