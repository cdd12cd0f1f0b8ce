using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using EmotionLab.Web.Startup;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The demo as `scripts/start.sh` starts it, at a small size (10 dialogues, one seed, two epochs):
/// the dashboard follows it in Chromium to the finished grid, and a restart that finds it done
/// says nothing of it.
/// </summary>
public sealed class DemoStartTests : IAsyncLifetime
{
    private readonly ThrowawayPostgres postgres = new();
    private readonly string artifacts = Directory.CreateTempSubdirectory("emotionlab-demo-").FullName;

    public Task InitializeAsync() => postgres.InitializeAsync();

    public async Task DisposeAsync()
    {
        await postgres.DisposeAsync();
        Directory.Delete(artifacts, recursive: true);
    }

    private (WebApplicationFactory<Program> App, Uri Address) Start()
    {
        var app = new LabWebApp(postgres.ConnectionString, new Dictionary<string, string>
        {
            ["ArtifactRoot"] = artifacts, ["Worker:InProcess"] = "true", ["Worker:Slots"] = "1", ["Worker:Name"] = "demo-web",
            ["Demo:Enabled"] = "true", ["Demo:Dialogues"] = "10", ["Demo:Seeds"] = "1", ["Demo:Epochs"] = "2",
        });
        app.UseKestrel(0);
        app.StartServer();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    [Fact]
    public async Task The_dashboard_follows_the_first_start_to_the_grid_and_a_restart_says_nothing()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var (app, address) = Start();
        IPage page;
        await using (app)
        {
            // The demo's admin: a generated password in a file only its owner can read, for signing in.
            var adminFile = Path.Combine(artifacts, DemoSetup.AdminFile);
            for (var waited = 0; !File.Exists(adminFile) || new FileInfo(adminFile).Length == 0; waited += 100)
            {
                Assert.True(waited < 60_000, $"the demo did not write {adminFile} within a minute");
                await Task.Delay(100);
            }
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(adminFile));
            var lines = await File.ReadAllLinesAsync(adminFile);
            Assert.Equal($"user: {DemoSetup.AdminName}", lines[0]);
            var password = lines[1]["password: ".Length..];
            Assert.True(password.Length >= 20, "a generated password, not a default one");
            var session = await LabSession.SignInAsync(app.Services, address, DemoSetup.AdminName, password);
            page = await Chromium.NewPageAsync(browser, problems, session);

            await page.GotoAsync(address.ToString());
            // The panel polls itself: the page is never reloaded from here on.
            var stages = new List<string>();
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (await page.Locator("#demo-progress[data-complete=true]").CountAsync() == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the demo did not complete within 5 minutes; stages seen: {string.Join(" | ", stages)}");
                if (await page.Locator("#demo-stage").CountAsync() > 0 && await page.InnerTextAsync("#demo-stage") is var stage && !stages.Contains(stage))
                {
                    stages.Add(stage);
                    if (stage.Contains("training")) await Chromium.ScreenshotAsync(page, "demo-training.png");
                }
                await Task.Delay(100);
            }
            await using (var db = postgres.NewContext())
                Assert.All(await db.Runs.ToListAsync(), r => Assert.True(r.Status == RunStatus.Succeeded, $"run {r.Id} ({r.Variant}): {r.Status} {r.Error}"));
            Assert.Contains(stages, s => s.Contains("3 of 3") && s.Contains("training") && s.Contains("epoch"));
            Assert.Contains("Demo complete: 3 of 3 runs succeeded.", await page.InnerTextAsync("#demo-stage"));
            await Chromium.ScreenshotAsync(page, "demo-complete.png");

            await page.ClickAsync("#demo-grid-link a");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/grids/\\d+$"));
            await Assertions.Expect(page.Locator("#grid-results")).ToBeVisibleAsync();
            Assert.Contains(DemoSetup.GridName, await page.ContentAsync());
            // In the demo project, queued by the demo admin.
            await Assertions.Expect(page.Locator("#grid-project")).ToHaveTextAsync(DemoSetup.ProjectName);
            await Assertions.Expect(page.Locator("#grid-owner")).ToHaveTextAsync(DemoSetup.AdminName);
            Assert.Empty(problems);
            // The page's circuit ends before the app stops, as a closed tab's would.
            await page.GotoAsync("about:blank");
        }

        // Restarted over the same database and artifacts: the demo is done, so neither page mentions it.
        (app, address) = Start();
        await using (app)
        {
            await page.GotoAsync(address.ToString());
            Assert.Equal(0, await page.Locator("#demo-progress").CountAsync());
            await page.GotoAsync(new Uri(address, "/corpora").ToString());
            Assert.Equal(0, await page.Locator("#demo-progress").CountAsync());
            await using var db = postgres.NewContext();
            Assert.Equal(1, await db.Grids.CountAsync());
            // The Corpora page has a circuit too: it ends before the app stops.
            await page.GotoAsync("about:blank");
        }
    }
}
