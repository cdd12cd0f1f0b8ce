using EmotionLab.Data.Queries;
using EmotionLab.Web.Corpora;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Components.Corpora;

/// <summary>The Corpora page's htmx fragment: one import's live status, then its result.</summary>
public static class CorpusPartials
{
    public static IEndpointRouteBuilder MapCorpusPartials(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/corpora/imports/{id:int}", ImportStatusAsync);
        return endpoints;
    }

    private static async Task<Results<RazorComponentResult<CorpusImportPanel>, ProblemHttpResult>> ImportStatusAsync(
        int id, CorpusImports imports, CorpusOverviewQuery overviews, CancellationToken cancellation)
    {
        if (imports.Find(id) is not { } status)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "import not found",
                detail: $"there is no import {id} in this app's memory (imports are kept until the app restarts); the Corpora page lists what was stored");
        var overview = status.CorpusId is { } corpusId ? await overviews.ExecuteAsync(corpusId, cancellation) : null;
        return new RazorComponentResult<CorpusImportPanel>(new Dictionary<string, object?>
        {
            [nameof(CorpusImportPanel.Status)] = status,
            [nameof(CorpusImportPanel.Overview)] = overview,
        });
    }
}
