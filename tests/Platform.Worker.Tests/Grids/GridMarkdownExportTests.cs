using System.Text.RegularExpressions;
using EmotionLab.Data.Queries;
using EmotionLab.Worker.Grids;
using Xunit.Abstractions;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>The Markdown export renders as a GitHub table with the comparison's numbers, bold bests and significance markers.</summary>
public sealed class GridMarkdownExportTests(ITestOutputHelper log)
{
    private static readonly GridComparison Comparison = GridComparison.Build(AblationGrid.Results(), statistics: AblationGrid.Raw);
    private static readonly string Markdown = GridMarkdownExport.Write(GridTable.From(Comparison));

    /// <summary>A table line's cells, split at pipes that are not escaped.</summary>
    private static string[] Cells(string line) =>
        Regex.Split(line.Trim(), @"(?<!\\)\|")[1..^1].Select(c => c.Trim()).ToArray();

    private static string Unescape(string text) => Regex.Replace(text, @"\\(.)", "$1");

    private static string[] TableLines => Markdown.Split('\n').Where(l => l.StartsWith('|')).ToArray();

    [Fact]
    public void Markdown_is_a_table_with_a_header_a_separator_and_one_row_per_variant()
    {
        log.WriteLine(Markdown);
        var lines = TableLines;
        Assert.Equal(["Variant", "n", "WA", "UA", "WF1", "MF1"], Cells(lines[0]));
        var separator = Cells(lines[1]);
        Assert.Equal(6, separator.Length);
        Assert.All(separator, c => Assert.Matches("^:?-{3,}:?$", c));
        var rows = lines[2..];
        Assert.Equal(Comparison.Rows.Select(r => r.Variant.Variant), rows.Select(r => Unescape(Cells(r)[0])));
        Assert.All(rows, r => Assert.Equal(6, Cells(r).Length));
        // The table is one block: no blank line inside it, a blank line before it.
        var all = Markdown.Split('\n');
        var first = Array.IndexOf(all, lines[0]);
        Assert.Equal("", all[first - 1]);
        Assert.Equal(lines, all[first..(first + lines.Length)]);

        Assert.Contains("test scores in %", all[0]);
        Assert.Contains("mean ± sample standard deviation over seeds", all[0]);
        Assert.Contains("raw p-values, not adjusted for multiple comparisons", all[0]);
        Assert.Contains("difference to **full**", all[0]);
        Assert.Contains("† p < 0.05", all[0]);
    }

    [Fact]
    public void Cells_show_percent_mean_and_std_the_delta_and_a_dagger_where_significant_and_the_bests_are_bold()
    {
        var rows = TableLines[2..].Select(Cells).ToDictionary(c => Unescape(c[0]));
        var bold = rows.SelectMany(r => r.Value[2..].Select((cell, i) => (r.Key, Metric: GridComparison.Metrics[i], cell)))
            .Where(x => x.cell.StartsWith("**")).Select(x => (x.Key, x.Metric)).ToHashSet();
        Assert.Equal(AblationGrid.BestCells, bold);

        var daggers = rows.SelectMany(r => r.Value[2..].Select((cell, i) => (r.Key, Metric: GridComparison.Metrics[i], cell)))
            .Where(x => x.cell.EndsWith('†')).Select(x => (x.Key, x.Metric)).ToHashSet();
        var significant = Comparison.Rows.SelectMany(r => r.Cells.Where(c => c.Value.Test?.IsSignificant == true).Select(c => (r.Variant.Variant, c.Key))).ToHashSet();
        Assert.Equal(significant, daggers);
        Assert.Contains((AblationGrid.Escaped, GridMetric.WA), daggers); // SciPy: p = 0.0195
        Assert.DoesNotContain((AblationGrid.Overlap, GridMetric.WA), daggers); // SciPy: p = 0.64

        // w/o_ICN & 50% on WA: SciPy's mean and std of the fixture scores, in %, and the delta to the reference in points.
        var mean = AblationGrid.ScipyValue("three_seeds_clear_gap", "mean_b");
        var std = AblationGrid.ScipyValue("three_seeds_clear_gap", "std_b");
        var delta = mean - AblationGrid.ScipyValue("three_seeds_clear_gap", "mean_a");
        Assert.Equal(FormattableString.Invariant($"{mean * 100:0.00} ± {std * 100:0.00} ({delta * 100:+0.00;-0.00})†"), rows[AblationGrid.Escaped][2]);
        Assert.Equal("57.23 ± 0.71 (-3.27)†", rows[AblationGrid.Escaped][2]);
        Assert.Equal("**60.50 ± 0.70**", rows[AblationGrid.Reference][2]);
        Assert.Equal("60.27 ± 1.12 (-0.23)", rows[AblationGrid.Overlap][2]);
        Assert.Equal("–", rows[AblationGrid.AllFailed][2]);
        Assert.Equal(["3", "3", "3", "2", "0"], rows.Values.Select(r => r[1]));
    }

    [Fact]
    public void Labels_are_escaped_and_left_out_runs_and_welch_rows_are_noted_below_the_table()
    {
        Assert.Contains(@"| w/o\_ICN & 50% | 3 |", Markdown);
        Assert.Contains(@"**Table 3: BCAF on iemocap\_4 (50% data)** (grid 7)", Markdown);
        var afterTable = Markdown[(Markdown.LastIndexOf("|\n", StringComparison.Ordinal) + 2)..];
        Assert.Contains("Not in the statistics: text, audio: 1 failed; w/o GATE: 3 failed.", afterTable);
        Assert.Contains("Welch's t-test (seeds differ from the reference's): text, audio.", afterTable);

        var pipe = GridResultsFromSeeds.Variant("a|b*c", [0, 1], [0.5, 0.6]);
        var table = GridMarkdownExport.Write(GridTable.From(GridComparison.Build(GridResultsFromSeeds.Results(null, pipe))));
        var row = table.Split('\n').Single(l => l.StartsWith("| a"));
        Assert.Equal(6, Cells(row).Length);
        Assert.Equal(@"a\|b\*c", Cells(row)[0]);
        Assert.DoesNotContain("difference to", table); // no reference: no deltas, no markers
    }
}
