using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>
/// GET /api/grids/{id}/export over the seeded lab's 3-variant x 20-seed grid (10 scored seeds per
/// variant), and the grid page's download links to it: the files hold the table the page shows.
/// </summary>
[Collection(nameof(WebAppFixture))]
public sealed class GridExportApiTests(WebAppFixture app)
{
    private string ExportUrl(string query) => $"/api/grids/{app.Lab.GridId}/export?{query}";

    private static string F4(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Csv_download_is_named_after_the_grid_and_holds_the_means_over_the_scored_seeds()
    {
        using var response = await app.Client.GetAsync(ExportUrl("format=csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"bcaf-ablation-grid-{app.Lab.GridId}.csv", response.Content.Headers.ContentDisposition.FileNameStar);

        var records = new CsvReader(await response.Content.ReadAsStringAsync()).Records().ToList();
        var header = records[0].Fields.ToList();
        var rows = records.Skip(1).ToDictionary(r => r.Fields[0]);
        Assert.Equal(SeededLab.GridVariants, rows.Keys);
        Assert.Equal("true", rows["full"].Fields[header.IndexOf("is_reference")]);
        foreach (var variant in SeededLab.GridVariants)
        {
            var scored = app.Lab.GridRuns.Where(r => r.Variant == variant && r.Status == RunStatus.Succeeded)
                .Select(r => SeededLab.GridTestWeightedF1(variant, r.Seed)).ToList();
            var fields = rows[variant].Fields;
            Assert.Equal("10", fields[header.IndexOf("n")]);
            Assert.Equal(scored.Average(), double.Parse(fields[header.IndexOf("wf1_mean")], CultureInfo.InvariantCulture), 1e-12);
            Assert.Equal(SeedSummary.Of(scored).Std, double.Parse(fields[header.IndexOf("wf1_std")], CultureInfo.InvariantCulture), 1e-12);
            Assert.Equal("5", fields[header.IndexOf("failed")]);
            Assert.Equal("5", fields[header.IndexOf("canceled")]);
        }
    }

    [Fact]
    public async Task Markdown_and_latex_keep_the_chosen_reference()
    {
        var reference = Uri.EscapeDataString("w/o BAN");
        using var md = await app.Client.GetAsync(ExportUrl($"format=md&reference={reference}"));
        Assert.Equal(HttpStatusCode.OK, md.StatusCode);
        Assert.Equal("text/markdown", md.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"bcaf-ablation-grid-{app.Lab.GridId}.md", md.Content.Headers.ContentDisposition!.FileNameStar);
        var markdown = await md.Content.ReadAsStringAsync();
        Assert.Contains("difference to **w/o BAN**", markdown);
        Assert.Equal(5, markdown.Split('\n').Count(l => l.StartsWith('|'))); // header, separator, three variants
        Assert.Contains("Not in the statistics: full: 5 failed, 5 canceled; w/o ICN: 5 failed, 5 canceled; w/o BAN: 5 failed, 5 canceled.", markdown);

        using var tex = await app.Client.GetAsync(ExportUrl($"format=latex&reference={reference}"));
        Assert.Equal(HttpStatusCode.OK, tex.StatusCode);
        Assert.Equal($"bcaf-ablation-grid-{app.Lab.GridId}.tex", tex.Content.Headers.ContentDisposition!.FileNameStar);
        var latex = await tex.Content.ReadAsStringAsync();
        Assert.Contains("\\begin{tabular}", latex);
        Assert.Contains("in parentheses the difference to w/o BAN in points", latex);
        Assert.Contains("\\label{tab:bcaf-ablation}", latex);
    }

    [Fact]
    public async Task Flips_name_what_is_missing()
    {
        using var noGrid = await app.Client.GetAsync("/api/grids/987654/flips?variant=a&against=b");
        Assert.Equal(HttpStatusCode.NotFound, noGrid.StatusCode);
        using var oneVariant = await app.Client.GetAsync($"/api/grids/{app.Lab.GridId}/flips?variant=full");
        Assert.Equal(HttpStatusCode.BadRequest, oneVariant.StatusCode);
        using var unknown = await app.Client.GetAsync($"/api/grids/{app.Lab.GridId}/flips?variant=full&against=nope");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("has no variant 'nope'", await unknown.Content.ReadAsStringAsync());
        // The seeded lab's runs have scores but no run folders, so no predictions to pair.
        using var seeded = await app.Client.GetAsync($"/api/grids/{app.Lab.GridId}/flips?variant=full&against={Uri.EscapeDataString("w/o ICN")}");
        Assert.Equal(HttpStatusCode.BadRequest, seeded.StatusCode);
        Assert.Contains("no seed has a succeeded run of both", await seeded.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_grids_formats_and_references_are_problems()
    {
        using var noGrid = await app.Client.GetAsync("/api/grids/999999/export?format=csv");
        Assert.Equal(HttpStatusCode.NotFound, noGrid.StatusCode);

        using var badFormat = await app.Client.GetAsync(ExportUrl("format=xlsx"));
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        Assert.Contains("format must be csv, md or latex, not 'xlsx'", await badFormat.Content.ReadAsStringAsync());
        using var noFormat = await app.Client.GetAsync(ExportUrl(""));
        Assert.Equal(HttpStatusCode.BadRequest, noFormat.StatusCode);

        using var badReference = await app.Client.GetAsync(ExportUrl("format=md&reference=nope"));
        Assert.Equal(HttpStatusCode.BadRequest, badReference.StatusCode);
        Assert.Contains("has no variant 'nope'", await badReference.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_grid_page_links_each_format_with_its_reference_and_the_file_matches_the_table_shown()
    {
        var url = $"/grids/{app.Lab.GridId}?reference={Uri.EscapeDataString("w/o ICN")}";
        var html = await app.Client.GetStringAsync(url);
        // The download menu's items, as Chromium shows them once the menu is opened.
        Dictionary<string, string> links;
        using (var playwright = await Playwright.CreateAsync())
        {
            await using var browser = await Chromium.LaunchAsync(playwright);
            var page = await Chromium.NewPageAsync(browser, [], app.Session);
            await page.GotoAsync(new Uri(app.BaseAddress, url).ToString());
            await Chromium.WaitForCircuitAsync(page);
            await page.Locator("#grid-downloads button").ClickAsync();
            var items = page.Locator(".mud-popover-open a[data-format]");
            await Assertions.Expect(items).ToHaveCountAsync(3);
            links = (await items.EvaluateAllAsync<string[][]>("els => els.map(e => [e.dataset.format, e.getAttribute('href')])")).ToDictionary(p => p[0], p => p[1]);
        }
        Assert.Equal(["csv", "md", "latex"], links.Keys);
        Assert.Equal($"/api/grids/{app.Lab.GridId}/export?format=csv&reference=w%2Fo%20ICN&interval=std&adjust=holm", links["csv"]);

        var records = new CsvReader(await app.Client.GetStringAsync(links["csv"])).Records().ToList();
        var header = records[0].Fields.ToList();
        foreach (var record in records.Skip(1))
        {
            var fields = record.Fields;
            Assert.Equal(fields[0] == "w/o ICN" ? "true" : "false", fields[header.IndexOf("is_reference")]);
            // The page's row shows the same mean ± std (to four decimals) as the file holds.
            var row = Regex.Match(html, $"<tr data-variant=\"{Regex.Escape(WebUtility.HtmlEncode(fields[0]))}\"[^>]*>(.*?)</tr>", RegexOptions.Singleline).Value;
            var mean = double.Parse(fields[header.IndexOf("wf1_mean")], CultureInfo.InvariantCulture);
            var std = double.Parse(fields[header.IndexOf("wf1_std")], CultureInfo.InvariantCulture);
            Assert.Contains($"{F4(mean)} ± {F4(std)}", WebUtility.HtmlDecode(row));
        }
    }
}
