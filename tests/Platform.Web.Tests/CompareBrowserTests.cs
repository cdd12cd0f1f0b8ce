using EmotionLab.Data.Entities;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>Debian's Chromium (headless) on the compare page: picked from the runs list, its charts must actually draw and toggle.</summary>
[Collection(nameof(WebAppFixture))]
public sealed class CompareBrowserTests(WebAppFixture app)
{
    private static string Chart(string selector) => $"echarts.getInstanceByDom(document.querySelector('{selector}'))";

    private static string ConfusionChart(int index) => $"echarts.getInstanceByDom(document.querySelectorAll('.confusion-chart')[{index}])";

    // Charts of the confusion panels that have drawn (a chart may hold more than one canvas).
    private const string DrawnHeatmaps = "[...document.querySelectorAll('.confusion-chart')].filter(d => d.querySelector('canvas')).length";

    /// <summary>Waits for a condition in the page; a timeout says what went wrong in the page meanwhile and leaves a screenshot.</summary>
    private static async Task WaitAsync(IPage page, string condition, List<string> problems)
    {
        try { await page.WaitForFunctionAsync($"() => {{ try {{ return {condition}; }} catch {{ return false; }} }}", null, new() { Timeout = 30_000 }); }
        catch (TimeoutException e) { await Chromium.ScreenshotAsync(page, "compare-timeout.png"); throw new TimeoutException($"{condition} never held; page problems: {string.Join(" | ", problems)}", e); }
    }

    [Fact]
    public async Task Two_runs_ticked_on_the_runs_list_compare_with_overlaid_curves_two_heatmaps_and_F1_bars()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems);
        // The newest succeeded grid run is on the runs list's first page, next to the finished baseline run.
        var gridRun = app.Lab.GridRuns.Where(r => r.Status == RunStatus.Succeeded).MaxBy(r => r.Id)!;
        var baselineId = app.Lab.SucceededRunId;

        await page.GotoAsync(new Uri(app.BaseAddress, "/runs").ToString());
        await Chromium.WaitForCircuitAsync(page);
        await page.Locator($"#runs-table tr:has(a[data-run-id='{baselineId}']) .mud-checkbox input").CheckAsync();
        await page.Locator($"#runs-table tr:has(a[data-run-id='{gridRun.Id}']) .mud-checkbox input").CheckAsync();
        await page.ClickAsync("#compare-selected");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/compare");
        Assert.Equal($"?runs={baselineId}&runs={gridRun.Id}", new Uri(page.Url).Query); // in the list's order, newest first

        // Learning curves: a series per run on each chart.
        await WaitAsync(page, $"{Chart("#compare-loss-chart")}.getOption().series.length === 2", problems);
        var lossSeries = await page.EvaluateAsync<string[]>($"() => {Chart("#compare-loss-chart")}.getOption().series.map(s => s.name)");
        Assert.Equal([$"#{baselineId} concat late fusion · seed 1", $"#{gridRun.Id} {gridRun.Variant} · seed {gridRun.Seed}"], lossSeries);
        Assert.Equal(2, await page.EvaluateAsync<int>($"() => {Chart("#compare-f1-chart")}.getOption().series.length"));
        Assert.Equal(SeededLab.ValidationWeightedF1,
            await page.EvaluateAsync<double[]>($"() => {Chart("#compare-f1-chart")}.getOption().series[0].data.map(p => p[1])"));

        // Two heatmaps side by side, each with its run's test matrix at the best epoch.
        await WaitAsync(page, $"{DrawnHeatmaps} === 2", problems);
        var gridCounts = SeededLab.GridCounts(gridRun.Variant, gridRun.Seed, SeededLab.GridBestEpoch);
        Assert.Equal(SeededLab.Counts(4).Select(c => (double)c), await page.EvaluateAsync<double[]>($"() => {ConfusionChart(0)}.getOption().series[0].data.map(d => d[2])"));
        Assert.Equal(gridCounts.Select(c => (double)c), await page.EvaluateAsync<double[]>($"() => {ConfusionChart(1)}.getOption().series[0].data.map(d => d[2])"));

        // Per-class F1: a bar per run in each class's group.
        var bars = await page.EvaluateAsync<double[][]>($"() => {Chart("#class-f1-chart")}.getOption().series.filter(s => s.type === 'bar').map(s => s.data)");
        Assert.Equal(2, bars.Length);
        Assert.All(bars, b => Assert.Equal(SeededLab.Labels.Length, b.Length));
        Assert.Equal(SeededLab.Labels, await page.EvaluateAsync<string[]>($"() => {Chart("#class-f1-chart")}.getOption().xAxis[0].data"));

        // Row-normalised: each row of the baseline's matrix over its sum.
        await page.ClickAsync("label[for=cells-normalised]");
        await WaitAsync(page, $"{ConfusionChart(0)}.getOption().series[0].data[0][2] < 1", problems);
        var normalised = await page.EvaluateAsync<double[]>($"() => {ConfusionChart(0)}.getOption().series[0].data.map(d => d[2])");
        var counts = SeededLab.Counts(4);
        for (var i = 0; i < counts.Length; i++)
            Assert.Equal((double)counts[i] / counts.Skip(i / 4 * 4).Take(4).Sum(), normalised[i], 12);

        // Each chart exports itself as SVG (its option drawn again by the SVG renderer) as well as PNG.
        var svg = await page.EvaluateAsync<string>($"() => chartExport.svgOf({Chart("#class-f1-chart")})");
        Assert.StartsWith("<svg", svg);
        Assert.Contains("neutral", svg);
        Assert.Equal(["mySaveAsSvg", "saveAsImage"],
            (await page.EvaluateAsync<string[]>($"() => Object.keys({Chart("#class-f1-chart")}.getOption().toolbox[0].feature)")).Order().ToArray());
        await Chromium.ScreenshotAsync(page, "compare-runs.png");

        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_grids_variants_compare_as_means_over_seeds_with_error_bars()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems);

        await page.GotoAsync(new Uri(app.BaseAddress, $"/grids/{app.Lab.GridId}").ToString());
        await page.ClickAsync("#compare-variants");
        await WaitAsync(page, $"{DrawnHeatmaps} === 3", problems);
        Assert.True(await page.IsCheckedAsync("#group-variant"));
        Assert.True(await page.IsDisabledAsync("#cells-counts")); // means over seeds are of row-normalised matrices
        var titles = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.confusion-chart')].map(d => echarts.getInstanceByDom(d).getOption().title[0].text)");
        Assert.Equal(SeededLab.GridVariants.Select(v => $"{v} · mean of 10 seeds"), titles);
        // A bar and an error bar series per variant.
        var types = await page.EvaluateAsync<string[]>($"() => {Chart("#class-f1-chart")}.getOption().series.map(s => s.type)");
        Assert.Equal(["bar", "bar", "bar", "custom", "custom", "custom"], types);
        // The curves keep a line per run, named (and coloured) by variant so the legend toggles a variant's seeds together.
        Assert.Equal(30, await page.EvaluateAsync<int>($"() => {Chart("#compare-loss-chart")}.getOption().series.length"));
        Assert.Equal(SeededLab.GridVariants, await page.EvaluateAsync<string[]>($"() => [...new Set({Chart("#compare-loss-chart")}.getOption().series.map(s => s.name))]"));
        await Chromium.ScreenshotAsync(page, "compare-grid-variants.png");

        // Back to each run: thirty heatmaps, counts again.
        await page.ClickAsync("label[for=group-run]");
        await WaitAsync(page, $"{DrawnHeatmaps} === 30", problems);
        Assert.False(await page.IsDisabledAsync("#cells-counts"));
        Assert.Contains("group=run", page.Url);

        Assert.Empty(problems);
    }
}
