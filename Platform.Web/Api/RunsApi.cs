using System.Security.Claims;
using EmotionLab.Data;
using EmotionLab.Data.Queries;
using EmotionLab.Models.Training;
using EmotionLab.Web.Accounts;
using EmotionLab.Worker.Queue;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Api;

/// <summary>
/// The JSON API for scripts: /api/runs (filters + keyset paging), /api/runs/{id}, /api/runs/{id}/losses,
/// /api/runs/{id}/predictions?split=test|validation (the best epoch's predictions as CSV), and POST /api/runs/{id}/cancel and /retry with an admin's or member's token (200 with the run's new status, 409 when the run's
/// status does not allow it, 403 for another member's run, 404 for no such run).
/// </summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/runs");
        api.MapGet("", ListAsync);
        api.MapGet("/{id:long}", GetAsync);
        api.MapGet("/{id:long}/losses", LossesAsync);
        api.MapGet("/{id:long}/predictions", PredictionsAsync);
        api.MapPost("/{id:long}/cancel", (long id, ClaimsPrincipal user, LabPermissions permissions, RunControl control, CancellationToken cancellation) =>
                ActAsync(id, user, permissions, () => control.CancelAsync(id, cancellation, LabPermissions.UserId(user)), "canceled", "Queued or Running", cancellation))
            .RequireAuthorization(AccountPolicies.ApiChange);
        api.MapPost("/{id:long}/retry", (long id, ClaimsPrincipal user, LabPermissions permissions, RunControl control, CancellationToken cancellation) =>
                ActAsync(id, user, permissions, () => control.RetryAsync(id, cancellation, LabPermissions.UserId(user)), "retried", "Failed or Canceled", cancellation))
            .RequireAuthorization(AccountPolicies.ApiChange);
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

    // The trainer keeps the best epoch's predictions next to the run's log (PredictionsCsv.PathIn its run folder).
    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> PredictionsAsync(long id, EmotionLabDbContext db, CancellationToken cancellation, string split = "test")
    {
        if (!Enum.TryParse<DataSplit>(split, ignoreCase: true, out var dataSplit) || dataSplit == DataSplit.Train)
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown split", detail: $"Predictions are kept for split test or validation, not '{split}'.");
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.LogPath }).SingleOrDefaultAsync(cancellation);
        if (run is null) return RunNotFound(id);
        var path = run.LogPath is { } log ? PredictionsCsv.PathIn(Path.GetDirectoryName(log)!, dataSplit) : null;
        if (path is null || !File.Exists(path))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No predictions",
                detail: $"Run {id} has no {split} predictions on this server yet: the trainer writes them at each new best epoch, under the run's folder.");
        return TypedResults.PhysicalFile(Path.GetFullPath(path), "text/csv", $"run-{id}-{dataSplit.ToString().ToLowerInvariant()}-predictions.csv");
    }

    private static async Task<Results<Ok<RunActionJson>, ProblemHttpResult>> ActAsync(long id, ClaimsPrincipal user, LabPermissions permissions,
        Func<Task<RunActionOutcome>> action, string done, string allowed, CancellationToken cancellation)
    {
        switch (await permissions.MayChangeRunAsync(user, id, cancellation))
        {
            case null: return RunNotFound(id);
            case false:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"Run cannot be {done} by you",
                    detail: $"Run {id} is not yours: {LabPermissions.NotYours}.");
        }
        var outcome = await action();
        if (outcome.Status is not { } status) return RunNotFound(id);
        return outcome.Changed
            ? TypedResults.Ok(new RunActionJson(id, status))
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Run cannot be {done}",
                detail: $"Run {id} is {status}; only {allowed} runs can be {done}.");
    }

    internal static ProblemHttpResult RunNotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found", detail: $"There is no run {id}.");
}
