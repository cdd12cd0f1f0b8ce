using System.Security.Claims;
using System.Text.Encodings.Web;
using EmotionLab.Data.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EmotionLab.Web.Accounts;

/// <summary>
/// `Authorization: Bearer elab_…`: a personal access token acts as its user, with the user's roles.
/// A wrong, revoked or missing token gets a bare 401: nothing says which it was. The token is never
/// logged.
/// </summary>
public sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokens tokens, IUserClaimsPrincipalFactory<LabUser> principals, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Scheme = "Bearer";
    private const string Prefix = "Bearer ";

    public static bool Carries(HttpRequest request) => request.Headers.Authorization.ToString().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Carries(Request)) return AuthenticateResult.NoResult();
        var secret = Request.Headers.Authorization.ToString()[Prefix.Length..].Trim();
        var user = await tokens.UserOfAsync(secret, Context.RequestAborted);
        if (user is null || user.LockoutEnd > time.GetUtcNow()) return AuthenticateResult.Fail("not a valid token");
        var principal = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Scheme;
        return Task.CompletedTask;
    }
}
