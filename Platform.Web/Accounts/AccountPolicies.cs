using EmotionLab.Data.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace EmotionLab.Web.Accounts;

/// <summary>
/// The authorization policies. Every endpoint needs a signed-in user unless it says otherwise (the
/// fallback policy), so a new page or API cannot be left open by forgetting an attribute.
/// </summary>
public static class AccountPolicies
{
    /// <summary>Queue, import, cancel and retry: admins and members.</summary>
    public const string Change = "change";
    /// <summary>Users, roles, the queue dashboard.</summary>
    public const string Admin = "admin";
    /// <summary>A change through the JSON API: a bearer token of an admin or member. A browser's session cookie is not enough, so another site cannot forge the call.</summary>
    public const string ApiChange = "api-change";

    public static void Add(AuthorizationOptions options)
    {
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        options.AddPolicy(Change, p => p.RequireRole(LabRoles.Admin, LabRoles.Member));
        options.AddPolicy(Admin, p => p.RequireRole(LabRoles.Admin));
        options.AddPolicy(ApiChange, p => p.AddAuthenticationSchemes(ApiTokenAuthentication.Scheme).RequireRole(LabRoles.Admin, LabRoles.Member));
    }
}
