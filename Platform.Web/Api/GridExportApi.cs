using System.Text;
using EmotionLab.Data.Queries;
using EmotionLab.Worker.Grids;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Api;

/// <summary>
/// GET /api/grids/{id}/export?format=csv|md|latex[&amp;reference=VARIANT][&amp;interval=std|se|ci][&amp;adjust=holm|none]: the grid page's table as a
/// file to download (Content-Disposition names it after the grid), written as `Platform.Worker export`
/// writes it. 404 for no such grid, 400 for an unknown format, interval or adjustment, or a reference the grid does not have.
/// </summary>
public static class GridExportApi
{
    public static IEndpointRouteBuilder MapGridExportApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/grids/{id:long}/export", ExportAsync);
        return endpoints;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(
        long id, string? format, string? reference, string? interval, string? adjust, GridResultsQuery query, CancellationToken cancellation)
    {
        if (GridTableFormat.Find(format) is not { } tableFormat)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown export format",
                detail: $"format must be {GridTableFormat.Names}{(format is null ? "" : $", not '{format}'")}.");
        var (statistics, statisticsProblem) = TableStatistics.Parse(interval, adjust);
        if (statistics is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown table statistics", detail: statisticsProblem + ".");
        if (await query.ExecuteAsync(id, cancellation) is not { } results)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Grid not found", detail: $"There is no grid {id}.");
        if (GridTableExport.ReferenceProblem(results, reference) is { } problem)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown reference variant", detail: problem + ".");

        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(GridTableExport.Write(results, reference, tableFormat, statistics));
        return TypedResults.File(bytes, tableFormat.ContentType, GridTableExport.FileName(results.Grid, tableFormat));
    }
}
