using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>
/// A page open while the web app restarts: its circuit is gone with the old process, and once the
/// app answers again on the same address the page shows the lab as it is now, without the person
/// reloading it. The run it shows finished while the app was down.
/// </summary>
public sealed class ReconnectTests : IAsyncLifetime
{
    private readonly ThrowawayPostgres postgres = new();
    private readonly string artifacts = Directory.CreateTempSubdirectory("emotionlab-reconnect-").FullName;
    private SeededLab lab = default!;

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        await using var db = postgres.NewContext();
        lab = await SeededLab.WriteAsync(db);
    }

    public async Task DisposeAsync()
    {
        await postgres.DisposeAsync();
        Directory.Delete(artifacts, recursive: true);
    }

    private WebApplicationFactory<Program> Start(int port)
    {
        var app = new LabWebApp(postgres.ConnectionString, new Dictionary<string, string> { [Startup.ArtifactRoot.ConfigurationKey] = artifacts });
        app.UseKestrel(port);
        app.StartServer();
        return app;
    }

    private static int PortOf(WebApplicationFactory<Program> app) =>
        new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    [Fact]
    public async Task A_run_page_open_across_a_restart_shows_the_run_as_it_is_after()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var first = Start(0);
        var port = PortOf(first);
        // Signed in on the first app; the session outlives the restart (the key ring is on disk).
        var session = await LabSession.CreateAsync(first.Services, new Uri($"http://127.0.0.1:{port}/"), "reconnecting-admin", EmotionLab.Data.Accounts.LabRoles.Admin);
        var page = await Chromium.NewPageAsync(browser, problems, session);
        await page.GotoAsync($"http://127.0.0.1:{port}/runs/{lab.RunningRunId}");
        await Chromium.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("#run-summary")).ToHaveAttributeAsync("data-status", "Running");

        // The app goes away with the page's circuit; the run finishes meanwhile. Kestrel waits for
        // the open circuit's connection until the host's shutdown timeout, so Hangfire, stopped
        // after it, may find its own stop canceled: the app has stopped all the same.
        try
        {
            await first.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }
        await using (var db = postgres.NewContext())
            await db.Runs.Where(r => r.Id == lab.RunningRunId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, RunStatus.Succeeded).SetProperty(r => r.Progress, 1).SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow));

        // Back on the same address: the page reconnects (a new circuit, as the old one is gone) by itself.
        await using var second = Start(port);
        await Assertions.Expect(page.Locator("#run-summary")).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 90_000 });
        await Chromium.WaitForCircuitAsync(page);
        await Chromium.ScreenshotAsync(page, "run-after-restart.png");
        // The page works in its new circuit: a figure's menu opens with its downloads.
        await page.Locator("#matrix-figure .figure-downloads button").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open a[href*='/figures/matrix']")).ToHaveCountAsync(4);
        await Chromium.CloseMenuAsync(page);
        // The browser reports the dropped connection while the app was down, and MudBlazor's script
        // that the new circuit's popovers had no container yet as it drew the page again; nothing else.
        Assert.All(problems, p => Assert.Matches("WebSocket|connection|Connection|ERR_CONNECTION_REFUSED|reconnect|circuit|Failed to|No Popover Container", p));
        // An open circuit holds the app's shutdown until its timeout: the tab goes first.
        await page.CloseAsync();
    }
}
