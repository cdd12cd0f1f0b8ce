using System.Security.Claims;
using EmotionLab.Data.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EmotionLab.Web.Accounts;

/// <summary>
/// Ends a session within a minute of its account changing under it: a changed password, a new role,
/// a lock or a removed account change the user's security stamp, and then an open page's circuit
/// (here) and the session cookie's next request (Identity's SecurityStampValidator, at the same
/// interval, Accounts:RevalidateSeconds) no longer carry the old sign-in. The page that changed the
/// password signs itself in again.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory logs, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity,
    IOptions<SecurityStampValidatorOptions> stamps) : RevalidatingServerAuthenticationStateProvider(logs)
{
    protected override TimeSpan RevalidationInterval => stamps.Value.ValidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellation)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
        return await IsCurrentAsync(users, state.User, identity.Value);
    }

    private static async Task<bool> IsCurrentAsync(UserManager<LabUser> users, ClaimsPrincipal principal, IdentityOptions options)
    {
        if (await users.GetUserAsync(principal) is not { } user) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        return principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }
}
