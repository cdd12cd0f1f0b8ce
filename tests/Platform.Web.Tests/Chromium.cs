using EmotionLab.Data.Tests;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download), a page that records what went
/// wrong in it (console errors, page errors, HTTP errors), and the folder screenshots go to.
/// </summary>
public static class Chromium
{
    private static readonly string[] Args =
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        // A live page follows the server's change feed (once a second) and then its own refresh; on
        // CI's two loaded cores that can take longer than Playwright's default 5 s for an assertion.
        Assertions.SetDefaultExpectTimeout(30_000);
        return playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = Args });
    }

    /// <summary>A page whose problems (console errors, uncaught errors, 4xx/5xx answers) land in the list.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, List<string> problems, LabSession? session)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        // Signed in as the session's user: the cookie the sign-in page set for them.
        if (session is not null)
            await context.AddCookiesAsync([new Cookie { Name = session.CookieName, Value = session.CookieValue, Url = session.BaseAddress.ToString() }]);
        var page = await context.NewPageAsync();
        // CI runs the test assemblies side by side on two cores, trainers included: a navigation can
        // take longer than Playwright's default 30 s there. Waits for training set their own timeouts.
        page.SetDefaultTimeout(90_000);
        page.SetDefaultNavigationTimeout(90_000);
        page.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
        page.Response += (_, response) => { if (response.Status >= 400) problems.Add($"{response.Status} {response.Url}"); };
        return page;
    }

    /// <summary>Waits until the page's Blazor circuit has rendered it (MainLayout's data-interactive), so clicks reach the server.</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator(".mud-layout[data-interactive='true']").WaitForAsync();

    /// <summary>
    /// Waits until the address matches, by polling it: the circuit's navigations change the address
    /// within the page, so no load event comes to wait for.
    /// </summary>
    public static Task WaitForAddressAsync(IPage page, string pattern) =>
        Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(pattern), new() { Timeout = 90_000 });

    /// <summary>Picks an option of a MudSelect (by the id given to it) by the option's shown text.</summary>
    public static async Task SelectAsync(IPage page, string select, string option)
    {
        // The id lands on the select's hidden input; the visible part around it opens the list.
        await page.Locator($".mud-select:has({select}) .mud-input-control").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{System.Text.RegularExpressions.Regex.Escape(option)}\\s*$") }).First.ClickAsync();
    }

    /// <summary>
    /// Clicks target until what it opens is shown: a table that redraws its rows every second while
    /// a run trains can take a click in the moment its row is drawn again, and then nothing opens.
    /// </summary>
    public static async Task ClickUntilShownAsync(ILocator target, ILocator shown)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await target.ClickAsync();
            try { await shown.WaitForAsync(new() { Timeout = 5000 }); return; }
            catch (System.TimeoutException) { } // the click was lost: again
        }
        await shown.WaitForAsync();
    }

    /// <summary>
    /// Closes the open MudMenu by clicking outside it, again while it stays open: under load a click
    /// can land before the menu's overlay is drawn, and then it reaches the page instead.
    /// </summary>
    public static async Task CloseMenuAsync(IPage page)
    {
        var open = page.Locator(".mud-popover-open");
        for (var attempt = 0; attempt < 10 && await open.CountAsync() > 0; attempt++)
        {
            await page.Mouse.ClickAsync(5, 500);
            try { await open.First.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 3000 }); }
            catch (System.TimeoutException) { await page.Keyboard.PressAsync("Escape"); } // still open: Escape, then click again
        }
        await Assertions.Expect(open).ToHaveCountAsync(0);
    }

    /// <summary>The page background's HSL lightness, 0 (black) to 1 (white): which theme the page is drawn in.</summary>
    public static Task<double> BackgroundLightnessAsync(IPage page) =>
        page.EvaluateAsync<double>("() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return (Math.max(r, g, b) + Math.min(r, g, b)) / 510; }");

    /// <summary>&lt;repository&gt;/artifacts/screenshots (gitignored), for a person to look at.</summary>
    public static string ScreenshotFolder() => ArtifactFolder.Of("screenshots");

    /// <summary>From the top of the page: a full-page shot of a scrolled page draws the fixed app bar where the window was.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder(), name), FullPage = fullPage });
    }
}
