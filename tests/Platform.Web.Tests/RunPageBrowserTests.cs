using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>Debian's Chromium (headless) against the app on its real port: the interactive pages must draw and answer.</summary>
[Collection(nameof(WebAppFixture))]
public sealed class RunPageBrowserTests(WebAppFixture app)
{
    [Fact]
    public async Task Run_page_draws_its_figures_on_the_server_and_redraws_them_from_its_controls()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, app.Session);

        await page.GotoAsync(new Uri(app.BaseAddress, $"/runs/{app.Lab.SucceededRunId}").ToString());
        await Chromium.WaitForCircuitAsync(page);
        foreach (var figure in new[] { "#loss-figure", "#curves-figure", "#matrix-figure" })
            await page.Locator($"{figure} .figure svg").WaitForAsync();
        // The matrix: the test split at the best epoch (4), 16 cells drawn as vector rectangles with their counts.
        await Assertions.Expect(FigureText(page, "#matrix-figure", "test, epoch 4")).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("#matrix-figure svg image").CountAsync());
        var texts = (await page.Locator("#matrix-figure svg text").AllTextContentsAsync()).Select(t => t.Trim()).ToList();
        foreach (var count in SeededLab.Counts(4)) Assert.Contains(count.ToString(), texts);
        await Assertions.Expect(FigureText(page, "#curves-figure", "validation")).ToHaveCountAsync(1);

        // The controls redraw on the server: the validation split at epoch 5, row-normalised.
        await Chromium.SelectAsync(page, "#matrix-split", "validation");
        await Chromium.SelectAsync(page, "#matrix-epoch", "epoch 5");
        await page.Locator("label:has(#matrix-normalised)").ClickAsync();
        await Assertions.Expect(FigureText(page, "#matrix-figure", "validation, epoch 5, row-normalised")).ToHaveCountAsync(1);

        // Its downloads are the API's figure in both sizes and formats, with the options shown.
        await page.Locator("#matrix-figure .figure-downloads button").ClickAsync();
        var downloads = page.Locator(".mud-popover-open a[href*='/figures/matrix']");
        await Assertions.Expect(downloads).ToHaveCountAsync(4);
        var links = await downloads.EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href'))");
        Assert.Contains($"/api/runs/{app.Lab.SucceededRunId}/figures/matrix?format=svg&size=single&split=validation&epoch=5&normalised=true", links);
        await Chromium.CloseMenuAsync(page);

        await Chromium.ScreenshotAsync(page, "run-detail.png");
        Assert.True(await Chromium.BackgroundLightnessAsync(page) > 0.9);

        // The dark theme: drawn at once, and kept for the next page from its first paint (the cookie).
        await page.Locator("#theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync("() => document.cookie.includes('theme=dark')");
        Assert.True(await Chromium.BackgroundLightnessAsync(page) < 0.3);
        await Chromium.ScreenshotAsync(page, "run-detail-dark.png");
        await page.GotoAsync(new Uri(app.BaseAddress, "/runs").ToString());
        Assert.True(await Chromium.BackgroundLightnessAsync(page) < 0.3, "the server drew the next page light");
        await Chromium.WaitForCircuitAsync(page);
        await page.Locator("#runs-table a[data-run-id]").First.WaitForAsync();
        await Chromium.ScreenshotAsync(page, "runs-dark.png", fullPage: false);
        await page.Locator("#theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync("() => document.cookie.includes('theme=light')");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Runs_table_pages_sorts_and_filters_on_the_server_by_names_and_ticks_runs_to_compare()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, app.Session);
        var lab = app.Lab;

        await page.GotoAsync(new Uri(app.BaseAddress, "/runs").ToString());
        await Chromium.WaitForCircuitAsync(page);
        var rows = page.Locator("#runs-table a[data-run-id]");
        await Assertions.Expect(rows).ToHaveCountAsync(50);
        Assert.Equal([lab.FailedRunId, lab.QueuedRunId, lab.RunningRunId, lab.SucceededRunId], (await RunIdsAsync(rows))[..4]);
        Assert.Equal(["Failed", "Queued", "Running", "Succeeded"], (await page.Locator("#runs-table .status-chip").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.status)"))[..4]);
        await Assertions.Expect(page.Locator("#runs-table")).ToContainTextAsync("0.6300"); // the finished run's test WF1 at its best validation epoch
        await Assertions.Expect(page.Locator("#runs-table .mud-table-pagination")).ToContainTextAsync("1-50 of ");
        await Chromium.ScreenshotAsync(page, "runs.png", fullPage: false);

        // The grid picked by name; the URL keeps its id, so the view can be linked.
        await page.Locator("#filter-grid").FillAsync("ablat");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "bcaf-ablation" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/runs\\?grid={lab.GridId}$"));
        await Chromium.SelectAsync(page, "#filter-status", "Failed");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/runs\\?status=Failed&grid={lab.GridId}$"));
        var failed = lab.GridRuns.Where(r => r.Status == Data.Entities.RunStatus.Failed).Select(r => r.Id).OrderDescending().ToArray();
        await Assertions.Expect(rows).ToHaveCountAsync(failed.Length);
        Assert.Equal(failed, await RunIdsAsync(rows));

        // Sorted by seed on the server, ties newest first.
        await page.Locator("#runs-table th").Filter(new() { HasText = "Seed" }).Locator(".sort-direction-icon, .mud-sort-direction-icon, svg").First.ClickAsync();
        var bySeed = lab.GridRuns.Where(r => r.Status == Data.Entities.RunStatus.Failed).OrderBy(r => r.Seed).ThenByDescending(r => r.Id).Select(r => r.Id).ToArray();
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-run-id", bySeed[0].ToString());
        Assert.Equal(bySeed, await RunIdsAsync(rows));

        // Two ticked runs make the compare link.
        var checkboxes = page.Locator("#runs-table tbody .mud-checkbox input");
        await checkboxes.Nth(0).CheckAsync();
        await checkboxes.Nth(1).CheckAsync();
        await Assertions.Expect(page.Locator("#compare-selected")).ToHaveAttributeAsync("href", $"/compare?runs={Math.Max(bySeed[0], bySeed[1])}&runs={Math.Min(bySeed[0], bySeed[1])}");
        Assert.Empty(problems);
    }

    /// <summary>The page background's lightness, 0 (black) to 1 (white).</summary>
    private static async Task<long[]> RunIdsAsync(ILocator rows) =>
        [.. (await rows.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.runId)")).Select(long.Parse)];

    /// <summary>The figure's SVG text elements that read exactly this (ScottPlot indents its text).</summary>
    private static ILocator FigureText(IPage page, string figure, string text) =>
        page.Locator($"{figure} svg text").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{System.Text.RegularExpressions.Regex.Escape(text)}\\s*$") });
}
