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

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = Args });

    /// <summary>A page whose problems (console errors, uncaught errors, 4xx/5xx answers) land in the list.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, List<string> problems)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        // CI runs the test assemblies side by side on two cores, trainers included: a navigation can
        // take longer than Playwright's default 30 s there. Waits for training set their own timeouts.
        page.SetDefaultTimeout(90_000);
        page.SetDefaultNavigationTimeout(90_000);
        page.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
        page.Response += (_, response) => { if (response.Status >= 400) problems.Add($"{response.Status} {response.Url}"); };
        return page;
    }

    /// <summary>&lt;repository&gt;/artifacts/screenshots (gitignored), for a person to look at.</summary>
    public static string ScreenshotFolder() => ArtifactFolder.Of("screenshots");

    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder(), name), FullPage = fullPage });
}
