using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>Debian's Chromium (headless) against the app on its real port: the charts must actually draw.</summary>
[Collection(nameof(WebAppFixture))]
public sealed class RunPageBrowserTests(WebAppFixture app)
{
    private static readonly string[] ChromiumArgs =
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    // Screenshots go to <repository>/artifacts/screenshots (gitignored) for a person to look at.
    private static string ScreenshotFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EmotionLab.sln"))) dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public async Task Run_page_draws_the_learning_curves_and_the_confusion_heatmap()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
        page.Response += (_, response) => { if (response.Status >= 400) problems.Add($"{response.Status} {response.Url}"); };

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
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder(), "run-detail.png"), FullPage = true });

        await page.GotoAsync(new Uri(app.BaseAddress, "/runs").ToString());
        await page.Locator("#runs-table tbody tr").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder(), "runs.png") });

        Assert.Empty(problems);
    }
}
