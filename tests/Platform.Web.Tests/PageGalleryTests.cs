using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>
/// Every page of the app in Chromium, light and dark, over the seeded lab: each draws in its
/// circuit without a console error, in the theme asked for, and leaves a screenshot of each
/// theme (artifacts/screenshots/page-*.png) for a person to look at.
/// </summary>
[Collection(nameof(WebAppFixture))]
public sealed class PageGalleryTests(WebAppFixture app)
{
    private IEnumerable<(string Name, string Path, string Drawn)> Pages() =>
    [
        ("dashboard", "/", "#status-counts"),
        ("runs", "/runs", "#runs-table a[data-run-id]"),
        ("run", $"/runs/{app.Lab.SucceededRunId}", "#loss-figure .figure svg"),
        ("grids", "/grids", "#grids-table"),
        ("grid", $"/grids/{app.Lab.GridId}", "#bars-figure .figure svg"),
        ("compare", $"/compare?grid={app.Lab.GridId}", "#compare-class-f1 .figure svg"),
        ("new-experiment", "/experiments/new", "#queue-experiment"),
        ("new-grid", "/grids/new?template=baselines", "#grid-variants"),
        ("corpora", "/corpora", "#corpora-table"),
        ("workers", "/workers", "#workers-table"),
        ("users", "/admin/users", "#users-table tr[data-user]"),
    ];

    [Fact]
    public async Task Every_page_draws_in_either_theme_without_a_console_error()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        foreach (var dark in new[] { false, true })
        {
            var problems = new List<string>();
            var page = await Chromium.NewPageAsync(browser, problems, app.Session);
            await page.Context.AddCookiesAsync([new Cookie { Name = "theme", Value = dark ? "dark" : "light", Url = app.BaseAddress.ToString() }]);
            foreach (var (name, path, drawn) in Pages())
            {
                await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
                await Chromium.WaitForCircuitAsync(page);
                await page.Locator(drawn).First.WaitForAsync();
                if (name == "grid")
                {
                    await page.ClickAsync("#show-matrices");
                    await page.Locator("#matrices-figure .figure svg").WaitForAsync();
                }
                var lightness = await Chromium.BackgroundLightnessAsync(page);
                Assert.True(dark ? lightness < 0.3 : lightness > 0.9, $"{path} is drawn {(dark ? "light" : "dark")} (lightness {lightness:0.00})");
                await Chromium.ScreenshotAsync(page, $"page-{name}{(dark ? "-dark" : "")}.png");
                Assert.True(problems.Count == 0, $"{path}: {string.Join(" | ", problems)}");
            }
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task The_account_pages_draw_in_either_theme_without_a_circuit()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        foreach (var dark in new[] { false, true })
        {
            // Signed in: the account page; not signed in: the sign-in page a visitor is sent to.
            foreach (var (name, session, path, drawn) in new[] { ("account", app.Session, "/account", "#token-form"), ("sign-in", null, "/runs", "#signin-form") })
            {
                var problems = new List<string>();
                var page = await Chromium.NewPageAsync(browser, problems, session);
                await page.Context.AddCookiesAsync([new Cookie { Name = "theme", Value = dark ? "dark" : "light", Url = app.BaseAddress.ToString() }]);
                await page.GotoAsync(new Uri(app.BaseAddress, path).ToString());
                await page.Locator(drawn).WaitForAsync();
                var lightness = await Chromium.BackgroundLightnessAsync(page);
                Assert.True(dark ? lightness < 0.3 : lightness > 0.9, $"{name} is drawn {(dark ? "light" : "dark")} (lightness {lightness:0.00})");
                await Chromium.ScreenshotAsync(page, $"page-{name}{(dark ? "-dark" : "")}.png");
                Assert.True(problems.Count == 0, $"{name}: {string.Join(" | ", problems)}");
                await page.CloseAsync();
            }
        }
    }
}
