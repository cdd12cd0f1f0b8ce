using EmotionLab.Worker.Figures;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Api;

/// <summary>
/// GET /api/runs/{id}/figures/{loss|curves|matrix} and /api/grids/{id}/figures/{bars|sensitivity|matrices},
/// with ?format=svg|png&amp;size=single|double and the figure's options (metric, smoothing, split,
/// normalised, interval, axis): the figure as a file, the same bytes `Platform.Worker export
/// --figure` writes. 400 names a bad option, 404 a missing run or grid or what the figure needs.
/// </summary>
public static class FigureApi
{
    public static IEndpointRouteBuilder MapFigureApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/runs/{id:long}/figures/{figure}", (long id, string figure, HttpRequest request, FigureExport figures, CancellationToken cancellation) =>
            GetAsync(id, null, figure, request, figures, cancellation));
        endpoints.MapGet("/api/grids/{id:long}/figures/{figure}", (long id, string figure, HttpRequest request, FigureExport figures, CancellationToken cancellation) =>
            GetAsync(null, id, figure, request, figures, cancellation));
        return endpoints;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAsync(long? runId, long? gridId, string figure, HttpRequest http,
        FigureExport figures, CancellationToken cancellation)
    {
        var query = http.Query;
        double? smoothing = null;
        if (query["smoothing"].FirstOrDefault() is { } smoothingText)
        {
            if (!double.TryParse(smoothingText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad figure option", detail: $"smoothing '{smoothingText}' is not a number.");
            smoothing = value;
        }
        int? epoch = null;
        if (query["epoch"].FirstOrDefault() is { } epochText)
        {
            if (!int.TryParse(epochText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad figure option", detail: $"epoch '{epochText}' is not an epoch number.");
            epoch = value;
        }
        var (request, format, size, problem) = FigureRequest.Parse(runId, gridId, figure, query["format"], query["size"], query["metric"], query["interval"],
            smoothing, query["split"], query["normalised"] == "true", query["axis"], epoch);
        if ((request is null ? problem : FigureExport.KindProblem(request)) is { } bad)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad figure option", detail: bad + ".");
        var (drawn, missing) = await figures.BuildAsync(request!, cancellation);
        if (drawn is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No figure", detail: missing + ".");
        return TypedResults.File(drawn.Render(format, size), format.ContentType, drawn.FileName(format));
    }
}
