using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmotionLab.Data.Entities;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The compare page and /api/compare over the seeded lab. Expected per-class F1 and means over
/// seeds are computed here from the seeded counts with scikit-learn's definitions (precision and
/// recall per class, 0 where undefined; confusion_matrix(normalize="true") with empty rows as zeros).
/// </summary>
[Collection(nameof(WebAppFixture))]
public sealed class CompareTests(WebAppFixture app)
{
    private const double Tolerance = 1e-12;

    private async Task<string> GetHtmlAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await app.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: {(int)response.StatusCode}\n{body[..Math.Min(body.Length, 2000)]}");
        return body;
    }

    private async Task<JsonElement> GetJsonAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await app.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url}: {(int)response.StatusCode}\n{body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Run GridRun(string variant, int seed) => app.Lab.GridRuns.Single(r => r.Variant == variant && r.Seed == seed);

    private List<Run> SucceededGridRuns(string variant) =>
        app.Lab.GridRuns.Where(r => r.Variant == variant && r.Status == RunStatus.Succeeded).OrderBy(r => r.Seed).ToList();

    /// <summary>The config diff's rows: path → the cells' text, one per run.</summary>
    private static Dictionary<string, string[]> DiffRows(string html)
    {
        var table = Regex.Match(html, "id=\"config-diff\".*?</table>", RegexOptions.Singleline).Value;
        return Regex.Matches(table, "<tr data-path=\"([^\"]+)\">(.*?)</tr>", RegexOptions.Singleline).ToDictionary(
            m => WebUtility.HtmlDecode(m.Groups[1].Value),
            m => Regex.Matches(m.Groups[2].Value, "<td[^>]*>(.*?)</td>", RegexOptions.Singleline).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value).Trim()).ToArray());
    }

    /// <summary>scikit-learn's f1_score(average=None) from a confusion matrix: per class 2PR/(P+R), with P or R of 0/0 taken as 0.</summary>
    private static double[] ClassF1(int[] counts)
    {
        var n = (int)Math.Sqrt(counts.Length);
        return [.. Enumerable.Range(0, n).Select(k =>
        {
            var tp = (double)counts[k * n + k];
            var predicted = Enumerable.Range(0, n).Sum(t => counts[t * n + k]);
            var actual = Enumerable.Range(0, n).Sum(p => counts[k * n + p]);
            var precision = predicted == 0 ? 0 : tp / predicted;
            var recall = actual == 0 ? 0 : tp / actual;
            return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        })];
    }

    /// <summary>scikit-learn's confusion_matrix(normalize="true"), row-major: each row over its sum, a row without examples all zeros.</summary>
    private static double[] RowNormalised(int[] counts)
    {
        var n = (int)Math.Sqrt(counts.Length);
        return [.. counts.Select((c, i) =>
        {
            var support = counts.Skip(i / n * n).Take(n).Sum();
            return support == 0 ? 0.0 : (double)c / support;
        })];
    }

    private static double SampleStd(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} values, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < Tolerance, $"{what}[{i}]: {actual[i]}, expected {expected[i]}");
    }

    [Fact]
    public async Task Config_diff_shows_only_the_fields_that_differ_and_each_runs_own_seed()
    {
        // Two seeds of one variant: the same spec, so the seed is all that differs.
        var (full1, full2) = (GridRun("full", 1), GridRun("full", 2));
        var sameVariant = DiffRows(await GetHtmlAsync($"/compare?runs={full1.Id},{full2.Id}"));
        Assert.Equal(["seed"], sameVariant.Keys.ToArray());
        Assert.Equal(["1", "2"], sameVariant["seed"]);

        // One seed of two variants: the variant alone.
        var icn1 = GridRun("w/o ICN", 1);
        var variants = await GetHtmlAsync($"/compare?runs={full1.Id},{icn1.Id}");
        Assert.Equal(["variant"], DiffRows(variants).Keys.ToArray());
        Assert.Equal(["full", "w/o ICN"], DiffRows(variants)["variant"]);
        Assert.Contains("1 field differs; 2 are the same in every run and not shown", Regex.Replace(variants, @"\s+", " "));

        // A baseline run against a grid run: nested fields by dotted path, a field one spec lacks as a dash.
        var mixed = DiffRows(await GetHtmlAsync($"/compare?runs={app.Lab.SucceededRunId},{full2.Id}"));
        // Paths in alphabetical order: jsonb keeps no key order.
        Assert.Equal(["epochs", "family", "fusion", "optimizer.lr", "optimizer.name", "seed", "variant"], mixed.Keys.ToArray());
        Assert.Equal(["1", "2"], mixed["seed"]);
        Assert.Equal(["baselines", "bcaf"], mixed["family"]);
        Assert.Equal(["0.0001", "—"], mixed["optimizer.lr"]);
        Assert.Equal(["—", "full"], mixed["variant"]);
    }

    [Fact]
    public async Task Per_class_F1_is_derived_from_each_runs_best_epoch_test_matrix()
    {
        var grid = GridRun("w/o ICN", 6); // "joy" neither true nor predicted: F1 0, a row of zeros
        var json = await GetJsonAsync($"/api/compare?runs={app.Lab.SucceededRunId},{grid.Id}");
        var runs = json.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([app.Lab.SucceededRunId, grid.Id], runs.Select(r => r.GetProperty("id").GetInt64()));
        Assert.Equal(SeededLab.Labels, json.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));

        var baseline = runs[0].GetProperty("test");
        Assert.Equal(4, baseline.GetProperty("epoch").GetInt32()); // its best epoch, not the latest (5)
        Assert.Equal(SeededLab.Counts(4), baseline.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()));
        AssertClose(ClassF1(SeededLab.Counts(4)), Doubles(baseline.GetProperty("f1")), "baseline F1");

        var gridTest = runs[1].GetProperty("test");
        Assert.Equal(SeededLab.GridBestEpoch, gridTest.GetProperty("epoch").GetInt32());
        var expected = ClassF1(SeededLab.GridCounts("w/o ICN", 6, SeededLab.GridBestEpoch));
        Assert.Equal(0, expected[3]);
        AssertClose(expected, Doubles(gridTest.GetProperty("f1")), "grid run F1");

        Assert.Equal(0.63, runs[0].GetProperty("testWeightedF1").GetDouble(), 10);
        Assert.Equal("#" + grid.Id + " w/o ICN · seed 6", runs[1].GetProperty("name").GetString());
        // Validation weighted F1 per epoch, and every step of a short run as it is.
        Assert.Equal(SeededLab.ValidationWeightedF1, runs[0].GetProperty("validationWeightedF1").EnumerateArray().Select(p => p[1].GetDouble()));
        Assert.Equal(5 * SeededLab.StepsPerEpoch, runs[0].GetProperty("loss").GetArrayLength());
        Assert.Equal(1, runs[0].GetProperty("lossStepsPerPoint").GetInt32());
    }

    [Fact]
    public async Task Means_over_seeds_per_variant_match_the_seeded_matrices()
    {
        var variants = new[] { "full", "w/o ICN" };
        var json = await GetJsonAsync($"/api/compare?grid={app.Lab.GridId}&variant=full&variant={Uri.EscapeDataString("w/o ICN")}");
        var expectedRuns = variants.SelectMany(SucceededGridRuns).Select(r => r.Id).ToList();
        Assert.Equal(expectedRuns, json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.Empty(json.GetProperty("missing").EnumerateArray());

        var means = json.GetProperty("variants").EnumerateArray().ToList();
        Assert.Equal(variants, means.Select(v => v.GetProperty("name").GetString()));
        foreach (var (variant, mean) in variants.Zip(means))
        {
            var runs = SucceededGridRuns(variant);
            Assert.Equal(10, mean.GetProperty("n").GetInt32());
            Assert.Equal(runs.Select(r => r.Id).Order(), mean.GetProperty("runIds").EnumerateArray().Select(r => r.GetInt64()).Order());
            var matrices = runs.Select(r => SeededLab.GridCounts(variant, r.Seed, SeededLab.GridBestEpoch)).ToList();

            var normalised = matrices.Select(RowNormalised).ToList();
            var expectedMatrix = Enumerable.Range(0, 16).Select(i => normalised.Average(m => m[i])).ToList();
            AssertClose(expectedMatrix, Doubles(mean.GetProperty("meanRowNormalised")), $"{variant} mean row-normalised matrix");

            var f1 = matrices.Select(ClassF1).ToList();
            AssertClose([.. Enumerable.Range(0, 4).Select(k => f1.Average(m => m[k]))], Doubles(mean.GetProperty("f1Mean")), $"{variant} F1 mean");
            AssertClose([.. Enumerable.Range(0, 4).Select(k => SampleStd([.. f1.Select(m => m[k])]))], Doubles(mean.GetProperty("f1Std")), $"{variant} F1 std");

            // The mean validation curve: per epoch, the seeded runs' validation weighted F1 averaged, with its sample std and n.
            var curve = mean.GetProperty("validationWeightedF1").EnumerateArray().Select(p => p.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToList();
            Assert.Equal(Enumerable.Range(1, SeededLab.GridBestEpoch).Select(e => (double)e), curve.Select(p => p[0]));
            foreach (var point in curve)
            {
                var values = runs.Select(r => SeededLab.GridTestWeightedF1(variant, r.Seed) + 0.01 - 0.06 * (SeededLab.GridBestEpoch - point[0])).ToArray();
                AssertClose([values.Average(), SampleStd(values), runs.Count], point[1..], $"{variant} validation curve at epoch {point[0]}");
            }
        }
        // Seeds without "joy" pull its mean down in w/o ICN: the zeros are averaged, not skipped.
        Assert.True(Doubles(means[1].GetProperty("f1Mean"))[3] < Doubles(means[0].GetProperty("f1Mean"))[3] - 0.1);

        // A single run of a variant has a mean but no standard deviation.
        var single = await GetJsonAsync($"/api/compare?runs={GridRun("full", 1).Id}");
        var only = Assert.Single(single.GetProperty("variants").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, only.GetProperty("f1Std").ValueKind);
    }

    [Fact]
    public async Task Long_loss_curves_are_bucket_means_of_consecutive_steps()
    {
        var run = GridRun("full", 1);
        var json = await GetJsonAsync($"/api/compare?runs={run.Id}");
        var compared = json.GetProperty("runs")[0];
        var width = compared.GetProperty("lossStepsPerPoint").GetInt32();
        Assert.Equal((int)Math.Ceiling(SeededLab.LongCurveSteps / 400.0), width);
        var expected = Enumerable.Range(1, SeededLab.LongCurveSteps).GroupBy(step => (step - 1) / width)
            .Select(bucket => new[] { bucket.Average(), bucket.Average(step => SeededLab.GridLoss("full", step)) }).ToList();
        var points = compared.GetProperty("loss").EnumerateArray().ToList();
        Assert.Equal(expected.Count, points.Count);
        Assert.True(points.Count <= 400);
        for (var i = 0; i < points.Count; i++)
        {
            Assert.Equal(expected[i][0], points[i][0].GetDouble(), 9);
            Assert.Equal(expected[i][1], points[i][1].GetDouble(), 9);
        }
    }

    [Fact]
    public async Task Unknown_run_ids_are_named()
    {
        var some = await GetHtmlAsync($"/compare?runs={app.Lab.SucceededRunId},999998,999999");
        Assert.Contains("There are no runs 999998, 999999: left out of the comparison.", some);
        Assert.Contains($"<tr data-run-id=\"{app.Lab.SucceededRunId}\"", some);
        Assert.Contains("id=\"compare-charts\"", some);

        var none = await GetHtmlAsync("/compare?runs=999999", HttpStatusCode.NotFound);
        Assert.Contains("There is no run 999999.", none);
        Assert.DoesNotContain("id=\"compare-charts\"", none);

        var json = await GetJsonAsync($"/api/compare?runs={app.Lab.SucceededRunId},999999");
        Assert.Equal([999999L], json.GetProperty("missing").EnumerateArray().Select(m => m.GetInt64()).ToArray());
        var problem = await GetJsonAsync("/api/compare?runs=999998,999999", HttpStatusCode.NotFound);
        Assert.Equal("There are no runs 999998, 999999.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Without_runs_the_page_explains_how_to_pick_them_and_bad_input_is_400()
    {
        var empty = await GetHtmlAsync("/compare");
        Assert.Contains("id=\"compare-empty\"", empty);
        Assert.Contains("<strong>Compare selected</strong>", empty);
        Assert.Contains("/compare?runs=12,15,18", empty);
        Assert.DoesNotContain("id=\"compare-charts\"", empty);

        var bad = await GetHtmlAsync("/compare?runs=12,abc", HttpStatusCode.BadRequest);
        Assert.Contains("<strong>runs</strong>: &#x27;abc&#x27; is not a run id", bad);
        await GetJsonAsync("/api/compare", HttpStatusCode.BadRequest);
        await GetJsonAsync($"/api/compare?runs=1&grid={app.Lab.GridId}", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Grid_entry_compares_the_chosen_variants_and_names_unknown_ones()
    {
        var html = await GetHtmlAsync($"/compare?grid={app.Lab.GridId}&variant=full&variant=nope");
        Assert.Contains("Grid bcaf-ablation has no variant &#x27;nope&#x27;; its variants are &#x27;full&#x27;, &#x27;w/o ICN&#x27;, &#x27;w/o BAN&#x27;.", html);
        Assert.Equal(SucceededGridRuns("full").Select(r => r.Id), Regex.Matches(html, "<tr data-run-id=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value)));
        Assert.Contains("data-group=\"variant\"", html); // a grid opens with the means over seeds
        Assert.Single(Regex.Matches(html, "id=\"matrix-variant-\\d+\"")); // full's mean matrix, drawn in the page

        var unknown = await GetHtmlAsync("/compare?grid=999999", HttpStatusCode.NotFound);
        Assert.Contains("There is no grid 999999.", unknown);
    }

    [Fact]
    public async Task The_grid_page_leads_to_the_comparison()
    {
        var grid = await GetHtmlAsync($"/grids/{app.Lab.GridId}");
        Assert.Contains($"href=\"/compare?grid={app.Lab.GridId}\"", grid);
    }

    [Fact]
    public async Task The_compare_figures_download_as_SVG_and_PNG_and_bad_options_are_named()
    {
        var runs = $"runs={app.Lab.SucceededRunId},{GridRun("full", 2).Id}";
        foreach (var figure in new[] { "loss", "validation", "class-f1" })
        {
            using var svg = await app.Client.GetAsync($"/api/compare/figures/{figure}?{runs}&format=svg&size=double");
            Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
            Assert.Equal($"compare-{figure}.svg", svg.Content.Headers.ContentDisposition?.FileNameStar ?? svg.Content.Headers.ContentDisposition?.FileName);
            var root = System.Xml.Linq.XDocument.Parse(await svg.Content.ReadAsStringAsync()).Root!;
            Assert.Equal(EmotionLab.Worker.Figures.FigureSize.Double.SvgWidth.ToString(), root.Attribute("width")?.Value); // two columns
        }
        using (var png = await app.Client.GetAsync($"/api/compare/figures/matrix?grid={app.Lab.GridId}&group=variant&experiment={GridRun("full", 1).ExperimentId}&format=png"))
        {
            Assert.Equal(HttpStatusCode.OK, png.StatusCode);
            using var bitmap = SkiaSharp.SKBitmap.Decode(await png.Content.ReadAsByteArrayAsync());
            Assert.Equal(1050, bitmap.Width); // one column, 3.5 in at 300 dpi
        }

        var noRun = await GetJsonAsync($"/api/compare/figures/matrix?{runs}", HttpStatusCode.BadRequest);
        Assert.Contains("give run=ID", noRun.GetProperty("detail").GetString());
        var unknown = await GetJsonAsync($"/api/compare/figures/radar?{runs}", HttpStatusCode.BadRequest);
        Assert.Contains("use loss|validation|matrix|class-f1", unknown.GetProperty("detail").GetString());
        var other = await GetJsonAsync($"/api/compare/figures/matrix?{runs}&run=999999", HttpStatusCode.NotFound);
        Assert.Equal("run 999999 is not among the runs compared.", other.GetProperty("detail").GetString());
        await GetJsonAsync("/api/compare/figures/loss?runs=999999", HttpStatusCode.NotFound);
    }
}
