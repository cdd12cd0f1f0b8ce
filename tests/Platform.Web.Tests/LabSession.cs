using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using EmotionLab.Data.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Web.Tests;

/// <summary>
/// An account signed in to a running app the way a person and a script are: the session cookie that
/// the sign-in page sets (for Chromium), and a personal access token (for HttpClient).
/// </summary>
public sealed record LabSession(Uri BaseAddress, string UserName, string Password, string CookieName, string CookieValue, string Token)
{
    public const string SessionCookie = "emotionlab.session";

    /// <summary>Makes a user with the role in the app's database, signs them in through the sign-in form, and makes them a token.</summary>
    public static async Task<LabSession> CreateAsync(IServiceProvider services, Uri baseAddress, string userName, string role)
    {
        NewLabUser made;
        await using (var scope = services.CreateAsyncScope())
            made = await scope.ServiceProvider.GetRequiredService<LabUsers>().CreateAsync(userName, role, password: null);
        Assert.True(made.Succeeded, string.Join(" ", made.Problems));
        return await SignInAsync(services, baseAddress, userName, made.Password!);
    }

    /// <summary>Signs an existing user in through the sign-in form and makes them a token.</summary>
    public static async Task<LabSession> SignInAsync(IServiceProvider services, Uri baseAddress, string userName, string password)
    {
        var cookie = await PostSignInAsync(baseAddress, userName, password) ?? throw new InvalidOperationException($"{userName} could not sign in");
        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<LabUser>>().FindByNameAsync(userName);
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokens>().CreateAsync(user!.Id, "tests");
        return new LabSession(baseAddress, userName, password, SessionCookie, cookie, token.Secret);
    }

    /// <summary>Posts the sign-in form as a browser does (its antiforgery token included); the session cookie, or null when refused.</summary>
    public static async Task<string?> PostSignInAsync(Uri baseAddress, string userName, string password)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress };
        var form = await client.GetStringAsync("/account/signin");
        var antiforgery = Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = antiforgery, ["Input.UserName"] = userName, ["Input.Password"] = password,
        }));
        return handler.CookieContainer.GetCookies(baseAddress)[SessionCookie]?.Value;
    }

    /// <summary>An HttpClient that acts with the token.</summary>
    public HttpClient TokenClient(bool followRedirects = true)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }
}
