using System.Security.Claims;
using EmotionLab.Data;
using EmotionLab.Data.Accounts;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Accounts;

/// <summary>
/// Who may change what: an admin anything; a member what they queued; a viewer nothing. Work queued
/// before accounts (or by a node's CLI) has no owner, so only admins change it.
/// </summary>
public sealed class LabPermissions(EmotionLabDbContext db)
{
    public static long? UserId(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static bool MayQueue(ClaimsPrincipal user) => user.IsInRole(LabRoles.Admin) || user.IsInRole(LabRoles.Member);

    public static bool MayChange(ClaimsPrincipal user, long? ownerId) =>
        user.IsInRole(LabRoles.Admin) || (user.IsInRole(LabRoles.Member) && ownerId is not null && ownerId == UserId(user));

    /// <summary>Whether the user may cancel or retry the run; null when there is no such run.</summary>
    public async Task<bool?> MayChangeRunAsync(ClaimsPrincipal user, long runId, CancellationToken cancellation = default)
    {
        var owner = await db.Runs.Where(r => r.Id == runId).Select(r => new { r.Experiment!.OwnerId }).ToListAsync(cancellation);
        return owner.Count == 0 ? null : MayChange(user, owner[0].OwnerId);
    }

    /// <summary>Whether the user may change the grid (add seeds); null when there is no such grid.</summary>
    public async Task<bool?> MayChangeGridAsync(ClaimsPrincipal user, long gridId, CancellationToken cancellation = default)
    {
        var owner = await db.Grids.Where(g => g.Id == gridId).Select(g => new { g.OwnerId }).ToListAsync(cancellation);
        return owner.Count == 0 ? null : MayChange(user, owner[0].OwnerId);
    }

    public const string NotYours = "only its owner or an admin can change it";
    public const string DeleteNotYours = "only its owner or an admin can delete it";
}
