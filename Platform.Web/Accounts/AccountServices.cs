using EmotionLab.Data.Accounts;
using Microsoft.AspNetCore.Identity;

namespace EmotionLab.Web.Accounts;

/// <summary>
/// The lab's accounts: ASP.NET Core Identity on the platform's PostgreSQL, a session cookie for the
/// pages, bearer tokens for scripts, and the policies of <see cref="AccountPolicies"/>.
/// </summary>
public static class AccountServices
{
    private const string CookieOrToken = "cookie-or-token";

    public static WebApplicationBuilder AddLabAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddLabIdentity(builder.Configuration.GetSection("Accounts"))
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.AddScoped<LabUsers>();

        builder.Services.AddAuthentication(o => o.DefaultScheme = CookieOrToken)
            .AddPolicyScheme(CookieOrToken, "session cookie, or a bearer token", o =>
                o.ForwardDefaultSelector = context => ApiTokenAuthentication.Carries(context.Request) ? ApiTokenAuthentication.Scheme : IdentityConstants.ApplicationScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.Scheme, null)
            .AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "emotionlab.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the platform is served over HTTPS; a plain-HTTP loopback demo keeps working.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
            o.LoginPath = AccountPaths.SignIn;
            o.AccessDeniedPath = AccountPaths.Denied;
            // Scripts get a status, not a sign-in page.
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });
        // A changed password (or role, or lock) ends the account's other sessions within a minute, not Identity's default 30.
        var revalidate = TimeSpan.FromSeconds(builder.Configuration.GetValue("Accounts:RevalidateSeconds", 60));
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = revalidate);
        builder.Services.AddAuthorization(AccountPolicies.Add);
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SessionRevalidation>();
        builder.Services.AddScoped<ApiTokens>();
        builder.Services.AddScoped<LabPermissions>();
        return builder;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api")) context.Response.StatusCode = status;
        else context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
