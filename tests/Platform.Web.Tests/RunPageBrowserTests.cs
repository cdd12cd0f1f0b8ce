using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>Debian's Chromium (headless) against the app on its real port: the charts must actually draw.</summary>
[Collection(nameof(WebAppFixture))]
public sealed class RunPageBrowserTests(WebAppFixture app)
{
    [Fact]
    public async Task Run_page_draws_the_learning_curves_and_the_confusion_heatmap()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems);

        await page.GotoAsync(new Uri(app.BaseAddress, $"/runs/{app.Lab.SucceededRunId}").ToString());
        foreach (var chart in new[] { "#loss-chart", "#f1-chart", "#confusion-chart" })
            await page.Locator($"{chart} canvas").First.WaitForAsync(new() { Timeout = 15000 });
        // The test split's best epoch (4) is shown by default: 16 cells with its counts.
        await page.WaitForFunctionAsync("() => echarts.getInstanceByDom(document.getElementById('confusion-chart'))?.getOption().series?.[0]?.data?.length === 16");
        var heatmap = await page.EvaluateAsync<int[]>("() => echarts.getInstanceByDom(document.getElementById('confusion-chart')).getOption().series[0].data.map(d => d[2])");
        Assert.Equal(SeededLab.Counts(4), heatmap);
        Assert.Equal(5 * SeededLab.StepsPerEpoch, await page.EvaluateAsync<int>("() => echarts.getInstanceByDom(document.getElementById('loss-chart')).getOption().series[0].data.length"));
        Assert.Equal(["validation", "test"], await page.EvaluateAsync<string[]>("() => echarts.getInstanceByDom(document.getElementById('f1-chart')).getOption().series.map(s => s.name)"));
        Assert.Equal("test", await page.InputValueAsync("#confusion-split"));

        // Switching to the latest epoch of the validation split redraws the heatmap with that matrix.
        await page.SelectOptionAsync("#confusion-split", "validation");
        await page.SelectOptionAsync("#confusion-epoch", "latest");
        var title = await page.EvaluateAsync<string>("() => echarts.getInstanceByDom(document.getElementById('confusion-chart')).getOption().title[0].text");
        Assert.Equal("validation, epoch 5", title);
        await page.SelectOptionAsync("#confusion-split", "test");
        await page.SelectOptionAsync("#confusion-epoch", "best");
        await Chromium.ScreenshotAsync(page, "run-detail.png");

        await page.GotoAsync(new Uri(app.BaseAddress, "/runs").ToString());
        await page.Locator("#runs-table tbody tr").First.WaitForAsync();
        await Chromium.ScreenshotAsync(page, "runs.png", fullPage: false);

        Assert.Empty(problems);
    }
}
