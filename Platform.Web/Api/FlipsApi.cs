using System.Text;
using EmotionLab.Data;
using EmotionLab.Worker.Grids;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Api;

/// <summary>
/// GET /api/grids/{id}/flips?variant=A&amp;against=B: the test utterances one variant gets right and
/// the other wrong, seed by seed, as CSV (what `stats --flips` writes), from the runs' stored
/// best-epoch predictions. 400 names what is missing: a variant, a shared seed, a predictions file.
/// </summary>
public static class FlipsApi
{
    public static IEndpointRouteBuilder MapFlipsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/grids/{id:long}/flips", GetAsync);
        return endpoints;
    }

    public static string Url(long gridId, string variant, string against) =>
        $"/api/grids/{gridId}/flips?variant={Uri.EscapeDataString(variant)}&against={Uri.EscapeDataString(against)}";

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAsync(
        long id, string? variant, string? against, EmotionLabDbContext db, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(variant) || string.IsNullOrWhiteSpace(against))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Two variants needed", detail: "Name them: ?variant=A&against=B.");
        var (comparison, problem) = await PairedPredictions.CompareAsync(db, id, variant, against, cancellation: cancellation);
        if (comparison is null)
            return TypedResults.Problem(statusCode: problem!.StartsWith("there is no grid") ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
                title: "No flips", detail: problem + ".");
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(PairedPredictions.FlipsCsv(variant, against, comparison));
        return TypedResults.File(bytes, "text/csv; charset=utf-8", $"grid-{id}-flips-{GridTableExport.Slug(variant)}-vs-{GridTableExport.Slug(against)}.csv");
    }
}
