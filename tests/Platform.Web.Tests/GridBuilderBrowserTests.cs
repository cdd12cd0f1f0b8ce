using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>
/// A grid built in Chromium: the baselines template loaded on the lab's corpus, its size
/// previewed, queued, and its table filling in as the in-process worker trains the runs; then
/// re-run with one more seed.
/// </summary>
[Collection(nameof(TrainingLabFixture))]
public sealed class GridBuilderBrowserTests(TrainingLabFixture lab)
{
    private static readonly TimeSpan TrainingTimeout = TimeSpan.FromSeconds(300);

    private string Url(string path) => new Uri(lab.BaseAddress, path).ToString();

    private static string GridTemplateText(string name)
    {
        var template = EmotionLab.Models.Experiments.GridTemplates.Find(name)!;
        return $"{template.Name} ({template.Family}): {template.Description}";
    }

    [Fact]
    public async Task A_template_grid_is_previewed_queued_and_its_table_fills_in_then_gets_another_seed()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, lab.Session);

        await page.GotoAsync(Url("/grids"));
        await Chromium.WaitForCircuitAsync(page);
        await page.ClickAsync("#new-grid");
        await Chromium.WaitForAddressAsync(page, "/grids/new$");
        await Chromium.SelectAsync(page, "#template", GridTemplateText("baselines"));
        await Chromium.SelectAsync(page, "#start-corpus", TrainingLabFixture.CorpusName);
        await page.ClickAsync("#load-template");
        // The address names the template and corpus (a change within the page: no load event to wait for).
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/grids/new\\?template=baselines&corpus="));
        await page.Locator("#grid-run-count").WaitForAsync();
        Assert.Equal("3 variants × 3 seeds = 9 runs", await page.TextContentAsync("#grid-run-count"));
        Assert.Contains("\"family\": \"baselines\"", await page.InputValueAsync("#grid-base-spec"));

        // Two seeds and two epochs keep it short; a typed axis over the text encoder doubles the variants.
        // The preview follows each field as it is left.
        var spec = await page.InputValueAsync("#grid-base-spec");
        await page.FillAsync("#grid-base-spec", System.Text.RegularExpressions.Regex.Replace(spec, "\"epochs\": \\d+", "\"epochs\": 2"));
        await page.FillAsync("#grid-seeds", "0, 1");
        await page.FillAsync("#grid-axes", "baselines.text.encoder = mean, transformer");
        await page.Locator("#grid-name").ClickAsync();
        await page.Locator("#grid-run-count", new() { HasTextString = "6 variants × 2 seeds = 12 runs" }).WaitForAsync();
        Assert.Equal(6, await page.Locator("#grid-variants tbody tr").CountAsync());
        await Chromium.ScreenshotAsync(page, "grid-builder.png");

        // A mistyped axis is named by its line, and the grid cannot be queued.
        await page.FillAsync("#grid-axes", "baselines.text.encoder mean");
        await page.Locator("#grid-name").ClickAsync();
        await page.Locator("[data-problem-for='axes']", new() { HasTextString = "line 1" }).WaitForAsync();
        await Assertions.Expect(page.Locator("#queue-grid")).ToBeDisabledAsync();
        await Chromium.ScreenshotAsync(page, "grid-builder-problem.png");

        await page.FillAsync("#grid-axes", "");
        await page.Locator("#grid-name").ClickAsync();
        await Assertions.Expect(page.Locator("#queue-grid")).ToBeEnabledAsync();
        await page.ClickAsync("#queue-grid");
        await Chromium.WaitForAddressAsync(page, "/grids/\\d+$");
        var gridId = long.Parse(new Uri(page.Url).Segments[^1]);
        await Assertions.Expect(page.Locator("#grid-results tbody tr")).ToHaveCountAsync(3);

        // The table fills in live: every variant reaches n = 2 with a weighted F1 mean ± std.
        await page.Locator("#grid-results tbody tr td[data-n='2']").Nth(2).WaitForAsync(new() { Timeout = (float)TrainingTimeout.TotalMilliseconds });
        var cells = await page.Locator("#grid-results tbody tr td.grid-cell[data-metric='WeightedF1']").AllTextContentsAsync();
        Assert.All(cells, c => Assert.Contains("±", c));
        await Chromium.ScreenshotAsync(page, "grid-built.png");

        // Each export downloads the table as shown, one row per variant.
        foreach (var (format, marker) in new[] { ("csv", "variant,n,is_reference,"), ("md", "| Variant | n |"), ("latex", "\\begin{tabular}") })
        {
            await page.Locator("#grid-downloads button").ClickAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator($".mud-popover-open a[data-format='{format}']").ClickAsync());
            await Chromium.CloseMenuAsync(page);
            var text = await File.ReadAllTextAsync((await download.PathAsync())!);
            Assert.Contains(marker, text);
            Assert.All(new[] { "text", "audio", "concat" }, variant => Assert.Contains(variant, text));
        }

        // A row's "flips" link opens the compare page on it against the reference: McNemar per seed
        // on the paired test predictions, and the flips as CSV, as many as McNemar's discordant pairs.
        await page.Locator("tr[data-variant='text'] a[data-pair-link]").ClickAsync();
        await page.Locator("#paired-predictions #mcnemar tbody tr").Nth(1).WaitForAsync();
        Assert.Equal(["0", "1"], await page.Locator("#mcnemar tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.seed)"));
        var discordant = 0;
        foreach (var row in await page.Locator("#mcnemar tbody tr").AllAsync())
        {
            var counts = await row.Locator("td").AllTextContentsAsync();
            discordant += int.Parse(counts[2]) + int.Parse(counts[3]);
        }
        await Chromium.ScreenshotAsync(page, "compare-paired.png");
        var flips = await page.RunAndWaitForDownloadAsync(() => page.Locator("#flips-download").ClickAsync());
        var lines = (await File.ReadAllLinesAsync((await flips.PathAsync())!)).ToList();
        Assert.Equal("seed,key,true,text,concat,right", lines[0]);
        Assert.Equal(discordant, lines.Count - 1);
        Assert.All(lines.Skip(1), l => Assert.Matches("^[01],emosynth-", l));
        await page.GoBackAsync();
        await Chromium.WaitForCircuitAsync(page);

        // Held on the queue, so the new seed's runs can be counted and then canceled rather than trained.
        await using (await lab.PauseWorkerAsync())
        {
            await page.FillAsync("#more-seeds", "1");
            await page.ClickAsync("#add-seeds");
            await page.Locator("#grid-facts", new() { HasTextString = "seeds 0, 1, 2" }).WaitForAsync();
            await using var db = lab.Postgres.NewContext();
            var seeds = await db.Runs.Where(r => r.GridId == gridId).GroupBy(r => r.Seed).Select(g => new { Seed = g.Key, Runs = g.Count() }).OrderBy(s => s.Seed).ToListAsync();
            Assert.Equal([(0, 3), (1, 3), (2, 3)], seeds.Select(s => (s.Seed, s.Runs)));
            foreach (var run in await db.Runs.Where(r => r.GridId == gridId && r.Seed == 2).Select(r => r.Id).ToListAsync())
                Assert.True((await lab.Client.PostAsync($"/api/runs/{run}/cancel", null)).IsSuccessStatusCode);
        }
        Assert.Empty(problems);
    }
}
