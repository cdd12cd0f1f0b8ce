using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Web.Tests;

/// <summary>The grid comparison page over the seeded lab's 3-variant x 20-seed grid (10 scored seeds per variant, the same ones).</summary>
[Collection(nameof(WebAppFixture))]
public sealed class GridPageTests(WebAppFixture app)
{
    private async Task<string> GetHtmlAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await app.Client.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static string Row(string html, string variant) =>
        Regex.Match(html, $"<tr data-variant=\"{Regex.Escape(WebUtility.HtmlEncode(variant))}\"[^>]*>(.*?)</tr>", RegexOptions.Singleline).Value;

    /// <summary>A cell's HTML with entities decoded and runs of whitespace made one space.</summary>
    private static string Cell(string row, string metric) => Regex.Replace(WebUtility.HtmlDecode(
        Regex.Match(row, $"<td [^>]*data-metric=\"{metric}\">(.*?)</td>", RegexOptions.Singleline).Groups[1].Value), @"\s+", " ");

    private static string F4(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private IReadOnlyList<double> ScoredWeightedF1(string variant) => app.Lab.GridRuns
        .Where(r => r.Variant == variant && r.Status == RunStatus.Succeeded).OrderBy(r => r.Seed)
        .Select(r => SeededLab.GridTestWeightedF1(variant, r.Seed)).ToList();

    [Fact]
    public async Task Grid_page_shows_mean_and_std_over_seeds_deltas_and_paired_p_values_against_the_reference()
    {
        var html = await GetHtmlAsync($"/grids/{app.Lab.GridId}?adjust=none");
        Assert.Equal(SeededLab.GridVariants, Regex.Matches(html, "<tr data-variant=\"([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)));

        var full = Row(html, "full");
        Assert.Contains("reference-chip", full);
        var reference = ScoredWeightedF1("full");
        var referenceSummary = SeedSummary.Of(reference);
        Assert.Contains("data-n=\"10\"", full);
        Assert.Contains($"{F4(referenceSummary.Mean)} ± {F4(referenceSummary.Std)}", Cell(full, "WeightedF1"));
        Assert.Contains($"{F4(referenceSummary.Mean + 0.03)} ± {F4(referenceSummary.Std)}", Cell(full, "WA"));
        Assert.Contains("data-best=\"true\"", Cell(full, "WeightedF1"));
        Assert.DoesNotContain("data-delta", full);
        Assert.Contains("5 failed", full);
        Assert.Contains("5 canceled", full);

        foreach (var variant in new[] { "w/o ICN", "w/o BAN" })
        {
            var row = Row(html, variant);
            Assert.Contains("data-test-kind=\"paired\"", row);
            var values = ScoredWeightedF1(variant);
            var summary = SeedSummary.Of(values);
            var cell = Cell(row, "WeightedF1");
            Assert.Contains($"{F4(summary.Mean)} ± {F4(summary.Std)}", cell);
            Assert.DoesNotContain("data-best", cell);
            var delta = summary.Mean - referenceSummary.Mean;
            Assert.Contains($"Δ {(delta >= 0 ? "+" : "-")}{F4(Math.Abs(delta))}", cell);
            // Both variants succeeded on the same seeds: the paired test, as SciPy's ttest_rel computes it.
            var p = SeedStatistics.Paired(values, reference).P;
            Assert.Contains("data-test=\"paired\"", cell);
            Assert.Contains($"p {(p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture))}{(p < 0.05 ? " *" : "")}", cell);
        }
        Assert.True(SeedStatistics.Paired(ScoredWeightedF1("w/o ICN"), reference).P < 0.05, "the seeded lab makes w/o ICN clearly worse");
        Assert.Contains(" *", Cell(Row(html, "w/o ICN"), "WeightedF1"));

        Assert.Contains("30 runs not in the statistics: 15 failed, 15 canceled", html);
    }

    [Fact]
    public async Task By_default_p_is_holm_adjusted_and_the_interval_is_a_choice_the_url_keeps()
    {
        var html = await GetHtmlAsync($"/grids/{app.Lab.GridId}");
        var reference = ScoredWeightedF1("full");
        string[] variants = ["w/o ICN", "w/o BAN"];
        var raw = variants.Select(v => SeedStatistics.Paired(ScoredWeightedF1(v), reference).P).ToArray();
        var holm = EmotionLab.Models.Statistics.HolmAdjustment.Adjust(raw);
        for (var i = 0; i < variants.Length; i++)
        {
            var p = holm[i];
            Assert.Contains($"p(Holm) {(p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture))}{(p < 0.05 ? " *" : "")}", Cell(Row(html, variants[i]), "WeightedF1"));
        }
        Assert.Contains("Holm–Bonferroni adjusted over the 2 variants compared with the reference", WebUtility.HtmlDecode(html));
        // A difference not yet shown gets a button adding exactly the seeds its paired test needs.
        for (var i = 0; i < variants.Length; i++)
        {
            var differences = ScoredWeightedF1(variants[i]).Zip(reference, (a, b) => a - b).ToArray();
            var needed = holm[i] < 0.05 ? null : EmotionLab.Models.Statistics.PairedTTestPower.SeedsNeeded(differences.Average(), SeedSummary.Of(differences).Std);
            var suggestion = $"Add {needed - differences.Length} seeds</span>";
            if (needed > differences.Length) Assert.Contains(suggestion, html);
            Assert.Equal(needed > differences.Length, html.Contains($"data-variant=\"{WebUtility.HtmlEncode(variants[i])}\" data-seeds-needed"));
        }

        html = await GetHtmlAsync($"/grids/{app.Lab.GridId}?interval=se&adjust=holm");
        var summary = SeedSummary.Of(reference);
        Assert.Contains($"{F4(summary.Mean)} ± {F4(summary.StandardError)}", Cell(Row(html, "full"), "WeightedF1"));
        Assert.Contains("standard error of the mean over seeds", WebUtility.HtmlDecode(html));
        Assert.Matches("id=\"interval\"[^>]*value=\"se\"", html);

        html = await GetHtmlAsync($"/grids/{app.Lab.GridId}?interval=ci&adjust=none");
        Assert.Contains($"{F4(summary.Mean)} ± {F4(summary.ConfidenceHalfWidth())}", Cell(Row(html, "full"), "WeightedF1"));
    }

    [Fact]
    public async Task Another_reference_can_be_chosen_and_the_url_keeps_it()
    {
        var reference = Uri.EscapeDataString("w/o BAN");
        var html = await GetHtmlAsync($"/grids/{app.Lab.GridId}?reference={reference}");
        Assert.Contains("reference-chip", Row(html, "w/o BAN"));
        Assert.DoesNotContain("reference-chip", Row(html, "full"));
        Assert.Contains("data-delta", Row(html, "full"));
        Assert.Matches("id=\"reference\"[^>]*value=\"w/o BAN\"", html);

        // An unknown reference falls back to the grid's own.
        var fallback = await GetHtmlAsync($"/grids/{app.Lab.GridId}?reference=nope");
        Assert.Contains("reference-chip", Row(fallback, "full"));
    }

    [Fact]
    public async Task Grid_pages_carry_a_server_timing_header()
    {
        using var response = await app.Client.GetAsync($"/grids/{app.Lab.GridId}");
        var timing = Assert.Single(response.Headers.GetValues("Server-Timing"));
        var match = Regex.Match(timing, @"^app;dur=(\d+(\.\d+)?)$");
        Assert.True(match.Success, timing);
        Assert.True(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Unknown_grids_are_404()
    {
        var html = await GetHtmlAsync("/grids/999999", HttpStatusCode.NotFound);
        Assert.Contains("There is nothing at <code>/grids/999999</code>", html);
    }

    [Fact]
    public async Task Grids_list_links_each_grid_with_its_run_counts()
    {
        var html = await GetHtmlAsync("/grids");
        var row = Regex.Match(html, $"<tr data-grid-id=\"{app.Lab.GridId}\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Matches($"<a [^>]*href=\"/grids/{app.Lab.GridId}\"[^>]*>bcaf-ablation</a>", row);
        var numbers = Regex.Matches(row, "<td class=\"num\">(?:<a [^>]*>)?(\\d+)").Select(m => int.Parse(m.Groups[1].Value)).ToArray();
        Assert.Equal([3, 20, 60, 30, 15, 0], numbers); // variants, seeds, runs, succeeded, failed, queued/running
        Assert.Contains("href=\"/grids\"", html); // the nav link
    }
}
