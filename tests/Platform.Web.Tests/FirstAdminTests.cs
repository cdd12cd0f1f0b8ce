using System.Net;
using System.Text.RegularExpressions;
using EmotionLab.Data.Tests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Web.Tests;

/// <summary>An empty platform has no default password: its first visitor makes the first admin on the one-time setup page, which then closes.</summary>
public sealed class FirstAdminTests : IAsyncLifetime
{
    private readonly ThrowawayPostgres postgres = new();
    private readonly string artifacts = Directory.CreateTempSubdirectory("emotionlab-first-admin-").FullName;

    public Task InitializeAsync() => postgres.InitializeAsync();

    public async Task DisposeAsync()
    {
        await postgres.DisposeAsync();
        Directory.Delete(artifacts, recursive: true);
    }

    [Fact]
    public async Task The_first_visitor_is_sent_to_setup_makes_the_admin_and_setup_closes_behind_them()
    {
        await using var app = new LabWebApp(postgres.ConnectionString, new Dictionary<string, string> { [Startup.ArtifactRoot.ConfigurationKey] = artifacts });
        app.UseKestrel(0);
        app.StartServer();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var handler = new HttpClientHandler { AllowAutoRedirect = true, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = address };

        // The dashboard sends an anonymous visitor to sign-in, which has no one to sign in and sends them to setup.
        using (var first = await browser.GetAsync("/"))
        {
            Assert.Equal("/account/setup", first.RequestMessage!.RequestUri!.AbsolutePath);
            var form = await first.Content.ReadAsStringAsync();
            var antiforgery = Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;

            // Too short a password: refused, nothing made.
            using var refused = await browser.PostAsync("/account/setup", Form(antiforgery, "first-admin", "short"));
            Assert.Contains("at least 10 characters", await refused.Content.ReadAsStringAsync());
            await using (var db = postgres.NewContext()) Assert.Equal(0, await db.Users.CountAsync());

            using var made = await browser.PostAsync("/account/setup", Form(antiforgery, "first-admin", "a long enough passphrase"));
            Assert.Equal("/", made.RequestMessage!.RequestUri!.AbsolutePath); // signed in, on the dashboard
            var dashboard = await made.Content.ReadAsStringAsync();
            Assert.Matches("id=\"account-link\"[^>]*>\\s*first-admin", dashboard);
        }
        await using (var db = postgres.NewContext()) Assert.Equal(1, await db.Users.CountAsync());

        // Closed now: anyone asking for it is sent to sign in, and a second admin cannot be made through it.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address };
        using var again = await anonymous.GetAsync("/account/setup");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/account/signin", new Uri(address, again.Headers.Location!).AbsolutePath);
        Assert.NotNull(await LabSession.PostSignInAsync(address, "first-admin", "a long enough passphrase"));
    }

    private static FormUrlEncodedContent Form(string antiforgery, string userName, string password) => new(new Dictionary<string, string>
    {
        ["_handler"] = "setup", ["__RequestVerificationToken"] = antiforgery, ["Input.UserName"] = userName, ["Input.Password"] = password,
    });
}
