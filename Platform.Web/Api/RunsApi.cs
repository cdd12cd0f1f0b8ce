using EmotionLab.Data.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Api;

/// <summary>The JSON API for scripts: /api/runs (filters + keyset paging), /api/runs/{id}, /api/runs/{id}/losses.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/runs");
        api.MapGet("", ListAsync);
        api.MapGet("/{id:long}", GetAsync);
        api.MapGet("/{id:long}/losses", LossesAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<RunPageJson>, ValidationProblem>> ListAsync(HttpRequest request, RunListQuery query, CancellationToken cancellation)
    {
        var (filter, errors) = RunListFilterParser.Parse(request.Query);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var page = await query.ExecuteAsync(filter, cancellation);
        var next = page.NextBefore is { } before ? request.PathBase + request.Path + RunListFilterParser.ToQueryString(filter, before) : null;
        return TypedResults.Ok(new RunPageJson(page.Runs.Select(RunJson.From).ToList(), page.NextBefore, next));
    }

    private static async Task<Results<Ok<RunDetailJson>, ProblemHttpResult>> GetAsync(long id, RunDetailQuery query, CancellationToken cancellation) =>
        await query.ExecuteAsync(id, cancellation) is { } detail ? TypedResults.Ok(RunDetailJson.From(detail)) : RunNotFound(id);

    private static async Task<Results<Ok<List<StepLossJson>>, ProblemHttpResult>> LossesAsync(long id, StepLossQuery query, CancellationToken cancellation) =>
        await query.ExecuteAsync(id, cancellation) is { } losses
            ? TypedResults.Ok(losses.Select(s => new StepLossJson(s.Step, s.Epoch, s.Loss, s.LearningRate)).ToList())
            : RunNotFound(id);

    internal static ProblemHttpResult RunNotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found", detail: $"There is no run {id}.");
}
