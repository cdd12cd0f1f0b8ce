using EmotionLab.Data.Queries;
using EmotionLab.Web.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Api;

/// <summary>
/// The JSON API for scripts: /api/runs (filters + keyset paging), /api/runs/{id}, /api/runs/{id}/losses,
/// and POST /api/runs/{id}/cancel and /retry (200 with the run's new status, 409 when the run's
/// status does not allow it, 404 for no such run).
/// </summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/runs");
        api.MapGet("", ListAsync);
        api.MapGet("/{id:long}", GetAsync);
        api.MapGet("/{id:long}/losses", LossesAsync);
        api.MapPost("/{id:long}/cancel", (long id, RunControl control, CancellationToken cancellation) =>
            ActAsync(id, control.CancelAsync(id, cancellation), "canceled", "Queued or Running"));
        api.MapPost("/{id:long}/retry", (long id, RunControl control, CancellationToken cancellation) =>
            ActAsync(id, control.RetryAsync(id, cancellation), "retried", "Failed or Canceled"));
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

    private static async Task<Results<Ok<RunActionJson>, ProblemHttpResult>> ActAsync(long id, Task<RunActionOutcome> action, string done, string allowed)
    {
        var outcome = await action;
        if (outcome.Status is not { } status) return RunNotFound(id);
        return outcome.Changed
            ? TypedResults.Ok(new RunActionJson(id, status))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Run cannot be {done}",
                detail: $"Run {id} is {status}; only {allowed} runs can be {done}.");
    }

    internal static ProblemHttpResult RunNotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found", detail: $"There is no run {id}.");
}
