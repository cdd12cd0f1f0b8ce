using System.Diagnostics;
using System.Net;
using System.Xml.Linq;
using EmotionLab.Worker.Figures;
using Microsoft.Playwright;
using SkiaSharp;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The figures the run and grid pages offer, downloaded as a browser would: SVG that parses, PNG
/// that decodes at 300 dpi, each byte for byte what `Platform.Worker export --figure` writes for
/// the same figure and size; bad options and missing data get 400 and 404 with the reason.
/// </summary>
[Collection(nameof(WebAppFixture))]
public sealed class FigureDownloadTests(WebAppFixture app)
{
    /// <summary>Every download the page's figure menus offer, read by opening each menu in Chromium (after pressing the buttons that draw figures on request).</summary>
    private async Task<IReadOnlyList<string>> FigureLinksAsync(string url, (string Button, string Drawn)? show = null)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, app.Session);
        await page.GotoAsync(new Uri(app.BaseAddress, url).ToString());
        await Chromium.WaitForCircuitAsync(page);
        if (show is var (button, drawn))
        {
            await page.ClickAsync(button);
            await page.Locator(drawn).WaitForAsync();
        }
        var links = new List<string>();
        var menus = page.Locator(".figure-card .figure-downloads button");
        await menus.First.WaitForAsync();
        for (var i = 0; i < await menus.CountAsync(); i++)
        {
            await menus.Nth(i).ClickAsync();
            var items = page.Locator(".mud-popover-open a[href*='/figures/']");
            await Assertions.Expect(items).ToHaveCountAsync(4);
            links.AddRange(await items.EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href'))"));
            await Chromium.CloseMenuAsync(page);
        }
        Assert.Empty(problems);
        return links;
    }

    /// <summary>`Platform.Worker export` in its own process, as a researcher runs it; the file it wrote.</summary>
    private async Task<byte[]> ExportAsync(params string[] arguments)
    {
        var file = Path.Combine(Path.GetTempPath(), $"figure-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "exec", typeof(FigureExport).Assembly.Location, "export" }
                     .Concat(arguments).Concat(["--out", file, "--database", app.Postgres.ConnectionString]))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
        try
        {
            return await File.ReadAllBytesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_run_pages_figures_are_what_export_writes()
    {
        var runId = app.Lab.SucceededRunId;
        var links = await FigureLinksAsync($"/runs/{runId}");
        Assert.Equal(12, links.Count); // loss, curves, matrix; SVG and PNG at two widths

        var matrix = links.Single(l => l == $"/api/runs/{runId}/figures/matrix?format=svg&size=single&split=test");
        using (var response = await app.Client.GetAsync(matrix))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"run-{runId}-matrix-test-epoch-4.svg", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var svg = XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes));
            Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName == "image");
            Assert.Equal(await ExportAsync("--run", runId.ToString(), "--figure", "matrix", "--split", "test", "--format", "svg", "--size", "single"), bytes);
        }

        var loss = links.Single(l => l == $"/api/runs/{runId}/figures/loss?format=png&size=double&smoothing=0.9");
        var png = await app.Client.GetByteArrayAsync(loss);
        using (var bitmap = SKBitmap.Decode(png)) Assert.Equal((FigureSize.Double.PngWidth, FigureSize.Double.PngHeight), (bitmap.Width, bitmap.Height));
        Assert.Equal(await ExportAsync("--run", runId.ToString(), "--figure", "loss", "--smoothing", "0.9", "--format", "png", "--size", "double"), png);
    }

    [Fact]
    public async Task The_grid_pages_bars_and_matrices_are_what_export_writes()
    {
        var gridId = app.Lab.GridId;
        var links = await FigureLinksAsync($"/grids/{gridId}", ("#show-matrices", "#matrices-figure .figure svg"));
        var bars = links.Single(l => l == $"/api/grids/{gridId}/figures/bars?format=svg&size=double&metric=wf1&interval=std");
        var bytes = await app.Client.GetByteArrayAsync(bars);
        var text = string.Join("\n", XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes)).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()));
        Assert.Contains("WF1 (%), ± std", text);
        Assert.Contains("full (n=", text);
        Assert.Equal(await ExportAsync("--grid", gridId.ToString(), "--figure", "bars", "--metric", "wf1", "--interval", "std", "--format", "svg", "--size", "double"), bytes);

        // The variants' mean test matrices, side by side: cells as rectangles, every variant titled with its seeds.
        var matrices = links.Single(l => l == $"/api/grids/{gridId}/figures/matrices?format=svg&size=double");
        var svg = await app.Client.GetByteArrayAsync(matrices);
        var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(svg));
        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName == "image");
        var texts = document.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
        Assert.All(SeededLab.GridVariants, v => Assert.Contains($"{v} (n=10)", texts));
        Assert.Equal(3 * 16, texts.Count(t => System.Text.RegularExpressions.Regex.IsMatch(t, "^[01]\\.\\d\\d$"))); // a share in each cell
        Assert.Equal(await ExportAsync("--grid", gridId.ToString(), "--figure", "matrices", "--format", "svg", "--size", "double"), svg);
        var png = await app.Client.GetByteArrayAsync($"/api/grids/{gridId}/figures/matrices?format=png&size=double");
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((2148, 960), (bitmap.Width, bitmap.Height)); // 7.16 x 3.2 in at 300 dpi
    }

    [Fact]
    public async Task Bad_options_and_missing_figures_say_why()
    {
        async Task<(HttpStatusCode Status, string Body)> GetAsync(string url)
        {
            using var response = await app.Client.GetAsync(url);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var (status, body) = await GetAsync($"/api/runs/{app.Lab.SucceededRunId}/figures/loss?format=jpg");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("unknown figure format 'jpg': use svg or png", body);
        (status, body) = await GetAsync($"/api/runs/{app.Lab.SucceededRunId}/figures/bars");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("a run has no figure 'bars'", body);
        (status, body) = await GetAsync($"/api/runs/{app.Lab.QueuedRunId}/figures/loss");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains($"run {app.Lab.QueuedRunId} has recorded no training step yet", body);
        (status, _) = await GetAsync("/api/grids/999999/figures/bars");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
