using System.Net.Http.Json;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using EmotionLab.Data.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Web.Tests;

/// <summary>
/// Nothing is reachable without an account: every endpoint the app maps (pages, API, downloads, the
/// Blazor hub, the queue dashboard), read from ASP.NET Core's own endpoint list, is asked without a
/// session and with a wrong token; tokens, lockout and antiforgery through the real app.
/// </summary>
[Collection(nameof(WebAppFixture))]
public sealed class AccessTests(WebAppFixture app)
{
    // What may be reached without an account: signing in, the one-time setup (which sends everyone to
    // sign-in once any account exists), and static files.
    private static readonly string[] OpenPages = ["/account/signin", "/account/setup"];

    private static bool IsStaticFile(RouteEndpoint endpoint) =>
        Regex.IsMatch(endpoint.RoutePattern.RawText ?? "", @"\.[A-Za-z0-9]+$");

    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    /// <summary>An address for the pattern: each parameter filled with a value its constraint accepts.</summary>
    private static string AddressOf(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "x",
            RoutePatternParameterPart parameter => parameter.ParameterPolicies.Any(p => p.Content is "long" or "int") ? "1" : "loss",
            _ => "",
        }))));

    [Fact]
    public async Task Every_endpoint_but_sign_in_and_static_files_wants_an_account()
    {
        var endpoints = Endpoints();
        var open = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).ToList();
        Assert.All(open, e => Assert.True(IsStaticFile(e) || OpenPages.Contains(AddressOf(e.RoutePattern)),
            $"{e.DisplayName} ({e.RoutePattern.RawText}) allows anonymous use: only sign-in, setup and static files may"));

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        var asked = new List<string>();
        foreach (var endpoint in endpoints.Except(open))
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } declared ? declared : ["GET"];
            var address = AddressOf(endpoint.RoutePattern);
            foreach (var method in methods.Where(m => m != "OPTIONS"))
            {
                foreach (var token in new[] { null, "elab_not-a-real-token", "not even the format" })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), address);
                    if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await anonymous.SendAsync(request);
                    var status = response.StatusCode;
                    var toSignIn = status == HttpStatusCode.Redirect && response.Headers.Location?.ToString() is { } location
                                   && new Uri(app.BaseAddress, location).AbsolutePath == "/account/signin";
                    Assert.True(status == HttpStatusCode.Unauthorized || toSignIn,
                        $"{method} {address} ({endpoint.DisplayName}) answered {(int)status} {response.Headers.Location} {(token is null ? "without a session" : "with a wrong token")}");
                    if (status == HttpStatusCode.Unauthorized)
                        Assert.Equal("", await response.Content.ReadAsStringAsync()); // nothing that helps guessing
                }
                asked.Add($"{method} {address}");
            }
        }
        // The enumeration really covered the app: pages, the API, downloads, the hub and the dashboard.
        Assert.Contains("GET /runs", asked);
        Assert.Contains("POST /api/runs/1/cancel", asked);
        Assert.Contains("GET /api/grids/1/figures/loss", asked);
        Assert.Contains(asked, a => a.EndsWith(" /_blazor/negotiate"));
        Assert.Contains(asked, a => a.StartsWith("GET /hangfire"));
        Console.WriteLine($"access: {asked.Count} endpoint methods asked without an account ({endpoints.Count - open.Count} endpoints; {open.Count} open: static files and {OpenPages.Length} account pages)");
    }

    [Fact]
    public async Task The_sign_in_page_is_open_and_says_the_same_for_a_wrong_name_and_a_wrong_password()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var page = await anonymous.GetAsync("/account/signin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null(await LabSession.PostSignInAsync(app.BaseAddress, "nobody-by-this-name", "whatever-password"));
        Assert.Null(await LabSession.PostSignInAsync(app.BaseAddress, app.Session.UserName, "not-the-password"));
        // Once the platform has an account, the setup page sends people to sign in.
        using var setup = await anonymous.GetAsync("/account/setup");
        Assert.Equal("/account/signin", new Uri(app.BaseAddress, setup.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Tokens_are_stored_hashed_never_logged_refused_once_revoked()
    {
        var session = await LabSession.CreateAsync(app.Services, app.BaseAddress, "token-owner", LabRoles.Viewer);
        using var client = session.TokenClient();
        using (var allowed = await client.GetAsync("/api/runs")) Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        await using (var db = app.Postgres.NewContext())
        {
            var prefix = session.Token[..12];
            var stored = await db.ApiTokens.AsNoTracking().SingleAsync(t => t.Prefix == prefix);
            Assert.Equal(ApiTokens.HashOf(session.Token), stored.Hash);
            Assert.DoesNotContain(session.Token, stored.Hash + stored.Name + stored.Prefix);
            Assert.NotNull(stored.LastUsedAt);
            await using var scope = app.Services.CreateAsyncScope();
            Assert.True(await scope.ServiceProvider.GetRequiredService<ApiTokens>().RevokeAsync(stored.UserId, stored.Id));
        }
        using (var refused = await client.GetAsync("/api/runs"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("", await refused.Content.ReadAsStringAsync());
        }
        Assert.DoesNotContain(app.Logs.Everything, line => line.Contains(session.Token) || line.Contains(session.Password));
    }

    [Fact]
    public async Task A_viewer_reads_everything_and_changes_nothing()
    {
        var viewer = await LabSession.CreateAsync(app.Services, app.BaseAddress, "viewer", LabRoles.Viewer);
        using var client = viewer.TokenClient(followRedirects: false);
        using (var runs = await client.GetAsync("/runs")) Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        using (var api = await client.GetAsync($"/api/runs/{app.Lab.RunningRunId}")) Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        using (var cancel = await client.PostAsync($"/api/runs/{app.Lab.RunningRunId}/cancel", null)) Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        using (var import = await client.PostAsync("/api/corpora/imports", JsonContent.Create(new { name = "x", format = "emosynth", sourcePath = "/tmp" })))
            Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
        using (var form = await client.GetAsync("/experiments/new")) Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        using (var dashboard = await client.GetAsync("/hangfire")) Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        await using var db = app.Postgres.NewContext();
        Assert.Equal(EmotionLab.Data.Entities.RunStatus.Running, (await db.Runs.SingleAsync(r => r.Id == app.Lab.RunningRunId)).Status);
    }

    [Fact]
    public async Task A_session_cookie_alone_cannot_change_anything_through_the_api()
    {
        // Another site could make a signed-in browser post; only a token, which a browser never sends by itself, changes things.
        using var browserLike = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{app.Lab.RunningRunId}/cancel");
        request.Headers.Add("Cookie", $"{app.Session.CookieName}={app.Session.CookieValue}");
        using var response = await browserLike.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/runs");
        page.Headers.Add("Cookie", $"{app.Session.CookieName}={app.Session.CookieValue}");
        using var pageResponse = await browserLike.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_and_a_forged_form_is_refused()
    {
        var user = await LabSession.CreateAsync(app.Services, app.BaseAddress, "forgetful", LabRoles.Member);
        for (var i = 0; i < 5; i++) Assert.Null(await LabSession.PostSignInAsync(app.BaseAddress, user.UserName, "wrong-password-" + i));
        Assert.Null(await LabSession.PostSignInAsync(app.BaseAddress, user.UserName, user.Password)); // locked: the right password is refused too
        await using (var db = app.Postgres.NewContext())
            Assert.True((await db.Users.SingleAsync(u => u.UserName == user.UserName)).LockoutEnd > DateTimeOffset.UtcNow);

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        await anonymous.GetStringAsync("/account/signin"); // the antiforgery cookie
        using var forged = await anonymous.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = "forged", ["Input.UserName"] = app.Session.UserName, ["Input.Password"] = app.Session.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(forged.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(LabSession.SessionCookie));
    }

    [Fact]
    public async Task A_changed_password_ends_the_accounts_other_sessions()
    {
        var user = await LabSession.CreateAsync(app.Services, app.BaseAddress, "changing-password", LabRoles.Member);
        using var browserLike = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        async Task<HttpResponseMessage> RunsPageAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/runs");
            request.Headers.Add("Cookie", $"{user.CookieName}={user.CookieValue}");
            return await browserLike.SendAsync(request);
        }
        using (var signedIn = await RunsPageAsync()) Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

        // The password changes elsewhere (another browser, or an admin): this cookie's session ends at its next check (every 2 s here, a minute by default).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<LabUser>>();
            var account = await users.FindByNameAsync(user.UserName);
            Assert.True((await users.ChangePasswordAsync(account!, user.Password, "a brand new passphrase")).Succeeded);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        using var ended = await RunsPageAsync();
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.StartsWith("/account/signin", ended.Headers.Location!.PathAndQuery);
        Assert.NotNull(await LabSession.PostSignInAsync(app.BaseAddress, user.UserName, "a brand new passphrase"));
    }
}
