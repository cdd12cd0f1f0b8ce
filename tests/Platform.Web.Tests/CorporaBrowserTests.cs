using EmotionLab.Worker.Tests;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>Debian's Chromium (headless) fills the import form; the panel follows the import live (the change feed) to its result.</summary>
[Collection(nameof(WebAppFixture))]
public sealed class CorporaBrowserTests(WebAppFixture app, SmallEmoSynth emosynth) : IClassFixture<SmallEmoSynth>
{
    [Fact]
    public async Task The_import_form_follows_the_import_live_then_shows_its_counts_or_its_problems()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, app.Session);

        var name = "emosynth-browser-" + Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync(new Uri(app.BaseAddress, "/corpora").ToString());
        await Chromium.WaitForCircuitAsync(page);
        await FillAsync(page, name, emosynth.Copy("browser-" + name));

        // The page names the import in its address and follows it to the result, without a reload.
        // A refused form stays on /corpora with its problems: say them rather than time out.
        await page.Locator("#corpus-import, #import-form-problems").First.WaitForAsync();
        if (await page.Locator("#import-form-problems").CountAsync() > 0)
            Assert.Fail($"the import was refused: {await page.InnerTextAsync("#import-form-problems")} ({string.Join("; ", problems)})");
        await Chromium.WaitForAddressAsync(page, "/corpora\\?import=");
        await page.Locator("#corpus-import[data-outcome=Succeeded]").WaitForAsync(new() { Timeout = 180_000 });
        Assert.Contains("Stored as corpus", await page.InnerTextAsync("#import-result"));
        Assert.True(await page.Locator("#corpus-import tr[data-split=train]").CountAsync() == 1);
        await Chromium.ScreenshotAsync(page, "corpus-import-succeeded.png");

        var (malformed, line) = emosynth.CopyWithMalformedRow("browser-malformed-" + Guid.NewGuid().ToString("N")[..8]);
        await page.GotoAsync(new Uri(app.BaseAddress, "/corpora").ToString());
        await Chromium.WaitForCircuitAsync(page);
        await FillAsync(page, "emosynth-malformed-" + Guid.NewGuid().ToString("N")[..8], malformed);
        await page.Locator("#corpus-import[data-outcome=Failed]").WaitForAsync(new() { Timeout = 180_000 });
        var row = page.Locator($"#import-problems tr[data-file='dev_sent_emo.csv'][data-line='{line}']");
        Assert.Contains("Utterance_ID 'one'", await row.InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "corpus-import-failed.png");

        // A bad form starts nothing and names every problem.
        await FillAsync(page, "Not A Name", "relative/folder");
        await Assertions.Expect(page.Locator("#import-form-problems")).ToContainTextAsync("is not an absolute path");
        await Chromium.ScreenshotAsync(page, "corpus-import-refused.png");

        Assert.Empty(problems);
    }

    private static async Task FillAsync(IPage page, string name, string folder)
    {
        await Chromium.SelectAsync(page, "#corpus-format", "emosynth");
        await page.FillAsync("#corpus-name", name);
        await page.FillAsync("#corpus-path", folder);
        await page.ClickAsync("#corpus-import-submit");
    }
}
