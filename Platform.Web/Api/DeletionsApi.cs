using System.Security.Claims;
using EmotionLab.Data.Entities;
using EmotionLab.Web.Accounts;
using EmotionLab.Worker.Queue;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Api;

/// <summary>
/// DELETE /api/runs/{id}, /api/experiments/{id} and /api/grids/{id} with its owner's or an admin's
/// token: what the pages' Delete buttons do (runs still queued or training are canceled first, the
/// rows and the run folders go, the deletion is recorded). 200 with what went; 403 for someone
/// else's; 404 for none; 409 when it cannot go (an experiment of a grid, a trainer still stopping).
/// </summary>
public static class DeletionsApi
{
    public static IEndpointRouteBuilder MapDeletionsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapDelete("/api/runs/{id:long}", (long id, ClaimsPrincipal user, LabDeletion deletion, CancellationToken cancellation) =>
            DeleteAsync(Deletion.RunKind, id, user, deletion, cancellation)).RequireAuthorization(AccountPolicies.ApiChange);
        endpoints.MapDelete("/api/experiments/{id:long}", (long id, ClaimsPrincipal user, LabDeletion deletion, CancellationToken cancellation) =>
            DeleteAsync(Deletion.ExperimentKind, id, user, deletion, cancellation)).RequireAuthorization(AccountPolicies.ApiChange);
        endpoints.MapDelete("/api/grids/{id:long}", (long id, ClaimsPrincipal user, LabDeletion deletion, CancellationToken cancellation) =>
            DeleteAsync(Deletion.GridKind, id, user, deletion, cancellation)).RequireAuthorization(AccountPolicies.ApiChange);
        return endpoints;
    }

    /// <summary>What was deleted: its kind, id and name, the runs that went with it, and the summary the page's confirmation names.</summary>
    public sealed record DeletedJson(string Kind, long Id, string Name, IReadOnlyList<long> Runs, string Summary);

    private static async Task<Results<Ok<DeletedJson>, ProblemHttpResult>> DeleteAsync(string kind, long id, ClaimsPrincipal user, LabDeletion deletion,
        CancellationToken cancellation)
    {
        var (plan, refusal) = await deletion.PlanAsync(kind, id, cancellation);
        if (plan is null)
            return refusal is null
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {kind}", detail: $"There is no {kind} {id}.")
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The {kind} was not deleted", detail: refusal + ".");
        if (!LabPermissions.MayChange(user, plan.OwnerId))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"The {kind} cannot be deleted by you",
                detail: $"{plan.Title} is not yours: {LabPermissions.DeleteNotYours}.");
        var (deleted, problem) = await deletion.DeleteAsync(kind, id, LabPermissions.UserId(user), cancellation);
        return deleted is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The {kind} was not deleted", detail: problem + ".")
            : TypedResults.Ok(new DeletedJson(kind, id, deleted.Name, deleted.RunIds, deleted.Summary));
    }
}
