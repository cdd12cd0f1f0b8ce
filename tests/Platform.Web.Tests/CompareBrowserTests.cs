using System.Globalization;
using System.Xml.Linq;
using EmotionLab.Data.Entities;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>
/// Debian's Chromium (headless) on the compare page: picked from the runs list, its figures are
/// drawn on the server as SVG, and its toggles draw them again grouped by variant or row-normalised.
/// </summary>
[Collection(nameof(WebAppFixture))]
public sealed class CompareBrowserTests(WebAppFixture app)
{
    /// <summary>The texts a figure's SVG draws (tick labels, legend, cell values, title), once it is drawn.</summary>
    private static async Task<string[]> FigureTextsAsync(IPage page, string figure)
    {
        await page.Locator($"{figure} .figure svg").WaitForAsync();
        return [.. (await page.Locator($"{figure} .figure svg text").AllTextContentsAsync()).Select(s => s.Trim())];
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Two_runs_ticked_on_the_runs_list_compare_with_overlaid_curves_two_matrices_and_F1_bars()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, app.Session);
        // The newest succeeded grid run is on the runs list's first page, next to the finished baseline run.
        var gridRun = app.Lab.GridRuns.Where(r => r.Status == RunStatus.Succeeded).MaxBy(r => r.Id)!;
        var baselineId = app.Lab.SucceededRunId;
        var baselineName = $"#{baselineId} concat late fusion · seed 1";
        var gridRunName = $"#{gridRun.Id} {gridRun.Variant} · seed {gridRun.Seed}";

        await page.GotoAsync(new Uri(app.BaseAddress, "/runs").ToString());
        await Chromium.WaitForCircuitAsync(page);
        await page.Locator($"#runs-table tr:has(a[data-run-id='{baselineId}']) .mud-checkbox input").CheckAsync();
        await page.Locator($"#runs-table tr:has(a[data-run-id='{gridRun.Id}']) .mud-checkbox input").CheckAsync();
        await page.ClickAsync("#compare-selected");
        await Chromium.WaitForAddressAsync(page, "/compare(\\?|$)");
        Assert.Equal($"?runs={baselineId}&runs={gridRun.Id}", new Uri(page.Url).Query); // in the list's order, newest first
        await Chromium.WaitForCircuitAsync(page);

        // The curves: a line per run, named in the legend.
        Assert.Contains(baselineName, await FigureTextsAsync(page, "#compare-loss"));
        Assert.Contains(gridRunName, await FigureTextsAsync(page, "#compare-validation"));

        // Two matrices, each its run's test matrix at the best epoch, in counts.
        await Assertions.Expect(page.Locator(".confusion-panel .figure svg")).ToHaveCountAsync(2);
        var baselineCells = await FigureTextsAsync(page, $"#matrix-run-{baselineId}");
        Assert.Contains($"{baselineName}, epoch 4", baselineCells);
        foreach (var count in SeededLab.Counts(4)) Assert.Contains(count.ToString(CultureInfo.InvariantCulture), baselineCells);
        var gridCells = await FigureTextsAsync(page, $"#matrix-run-{gridRun.Id}");
        foreach (var count in SeededLab.GridCounts(gridRun.Variant, gridRun.Seed, SeededLab.GridBestEpoch)) Assert.Contains(count.ToString(CultureInfo.InvariantCulture), gridCells);
        // Each run's row in the table carries the colour it is drawn in, and the two differ.
        var colours = await page.Locator("#compared-runs .run-colour").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.colour)");
        Assert.Equal(2, colours.Distinct().Count());

        // Per-class F1: the classes along x, a bar per run named in the legend.
        var classTexts = await FigureTextsAsync(page, "#compare-class-f1");
        Assert.All(SeededLab.Labels, label => Assert.Contains(label, classTexts));
        Assert.Contains(baselineName, classTexts);
        Assert.Contains(gridRunName, classTexts);

        // Row-normalised: each row of the baseline's matrix over its sum, drawn again on the server and kept in the address.
        await page.Locator("label:has(#cells-normalised)").ClickAsync();
        await Chromium.WaitForAddressAsync(page, "normalised=true");
        var counts = SeededLab.Counts(4);
        var expected = counts.Select((c, i) => Number((double)c / counts.Skip(i / 4 * 4).Take(4).Sum(), "0.00")).ToList();
        await Assertions.Expect(page.Locator($"#matrix-run-{baselineId} svg text").Filter(new() { HasText = expected[0] }).First).ToBeVisibleAsync();
        var normalised = await FigureTextsAsync(page, $"#matrix-run-{baselineId}");
        Assert.All(expected, value => Assert.Contains(value, normalised));

        // Its downloads are the server's figure as a file, with the view's options.
        await page.Locator($"#matrix-run-{baselineId} .figure-downloads button").ClickAsync();
        var links = page.Locator(".mud-popover-open a[href*='/api/compare/figures/matrix']");
        await Assertions.Expect(links).ToHaveCountAsync(4);
        var svgLink = await page.Locator(".mud-popover-open a[data-format='svg'][data-size='single']").GetAttributeAsync("href");
        Assert.Equal($"/api/compare/figures/matrix?runs={baselineId},{gridRun.Id}&group=run&format=svg&size=single&run={baselineId}&normalised=true", svgLink);
        await Chromium.CloseMenuAsync(page);
        using (var response = await app.Client.GetAsync(svgLink))
        {
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
            var texts = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
            Assert.All(expected, value => Assert.Contains(value, texts));
        }
        await Chromium.ScreenshotAsync(page, "compare-runs.png");

        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_grids_variants_compare_as_means_over_seeds_with_error_bars()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, app.Session);

        await page.GotoAsync(new Uri(app.BaseAddress, $"/grids/{app.Lab.GridId}").ToString());
        await Chromium.WaitForCircuitAsync(page);
        await page.ClickAsync("#compare-variants");
        await Chromium.WaitForAddressAsync(page, "/compare(\\?|$)");
        await Chromium.WaitForCircuitAsync(page);

        // A mean matrix per variant, whose cells are fractions; counts cannot be picked.
        await Assertions.Expect(page.Locator(".confusion-panel .figure svg")).ToHaveCountAsync(3);
        var titles = await page.Locator(".confusion-panel .mud-typography-subtitle2").AllTextContentsAsync();
        Assert.Equal(SeededLab.GridVariants.Select(v => $"{v} · mean of 10 seeds"), titles.Select(t => t.Trim()));
        Assert.True(await page.Locator("#cells-normalised").IsDisabledAsync());
        Assert.Contains("full (n = 10)", await page.Locator("#compare-status").TextContentAsync());
        // The bars and the validation curve are per variant, ± std; the legend names the variants.
        var classTexts = await FigureTextsAsync(page, "#compare-class-f1");
        Assert.All(SeededLab.GridVariants, v => Assert.Contains(v, classTexts));
        Assert.Contains("test F1, ± std", classTexts);
        Assert.Contains("validation WF1 (%), ± std", await FigureTextsAsync(page, "#compare-validation"));
        // The loss curves keep a line per seed, coloured by variant, with a legend entry per variant.
        var lossLegend = await FigureTextsAsync(page, "#compare-loss");
        Assert.All(SeededLab.GridVariants, v => Assert.Contains(v, lossLegend));
        var colours = await page.Locator("#compared-runs .run-colour").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.colour)");
        Assert.Equal(3, colours.Distinct().Count());
        await Chromium.ScreenshotAsync(page, "compare-grid-variants.png");

        // Back to each run: thirty matrices, counts again, and the address says so.
        await page.Locator("#group-run").ClickAsync();
        await Assertions.Expect(page.Locator(".confusion-panel .figure svg")).ToHaveCountAsync(30);
        Assert.False(await page.Locator("#cells-normalised").IsDisabledAsync());
        Assert.Contains("group=run", page.Url);

        Assert.Empty(problems);
    }
}
