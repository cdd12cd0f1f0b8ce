using System.Text.RegularExpressions;
using EmotionLab.Data.Queries;
using EmotionLab.Worker.Grids;
using Xunit.Abstractions;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>The LaTeX export is a well-formed booktabs table: balanced environments, braces and math, escaped labels, the right cells bold.</summary>
public sealed class GridLatexExportTests(ITestOutputHelper log)
{
    private static readonly GridComparison Comparison = GridComparison.Build(AblationGrid.Results(), statistics: AblationGrid.Raw);
    private static readonly string Latex = GridLatexExport.Write(GridTable.From(Comparison));

    /// <summary>The tabular's body rows (between \midrule and \bottomrule), split at ampersands that are not escaped.</summary>
    private static string[][] BodyRows()
    {
        var lines = Latex.Split('\n').Select(l => l.Trim()).ToList();
        var body = lines[(lines.IndexOf("\\midrule") + 1)..lines.IndexOf("\\bottomrule")];
        Assert.All(body, l => Assert.EndsWith(" \\\\", l));
        return body.Select(l => Regex.Split(l[..^3], @"(?<!\\)&").Select(c => c.Trim()).ToArray()).ToArray();
    }

    [Fact]
    public void Environments_nest_and_booktabs_rules_come_in_order()
    {
        log.WriteLine(Latex);
        var stack = new Stack<string>();
        var sequence = new List<string>();
        foreach (Match m in Regex.Matches(Latex, @"\\(begin|end)\{(\w+)\}|\\(toprule|midrule|bottomrule|caption|label)\b"))
        {
            if (m.Groups[1].Value == "begin") stack.Push(m.Groups[2].Value);
            else if (m.Groups[1].Value == "end") Assert.Equal(stack.Pop(), m.Groups[2].Value);
            sequence.Add(m.Groups[3].Success ? m.Groups[3].Value : $"{m.Groups[1].Value} {m.Groups[2].Value}");
        }
        Assert.Empty(stack);
        Assert.Equal(["begin table", "begin tabular", "toprule", "midrule", "bottomrule", "end tabular", "caption", "label", "end table"], sequence);
        Assert.Contains("\\begin{tabular}{@{}lrcccc@{}}", Latex);
        Assert.Contains("Variant & $n$ & WA & UA & WF1 & MF1 \\\\", Latex);
        Assert.Contains("\\label{tab:table-3-bcaf-on-iemocap-4-50-data}", Latex);
    }

    [Fact]
    public void Braces_and_math_are_balanced()
    {
        // Escaped braces and dollars, and the \\ row ends, are text, not grouping.
        var grouping = Latex.Replace("\\\\", "").Replace("\\{", "").Replace("\\}", "").Replace("\\$", "");
        var depth = 0;
        foreach (var c in grouping)
        {
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            Assert.True(depth >= 0, "a } closes nothing");
        }
        Assert.Equal(0, depth);
        foreach (var line in grouping.Split('\n').Where(l => !l.TrimStart().StartsWith('%')))
            Assert.True(line.Count(c => c == '$') % 2 == 0, $"unbalanced math: {line}");
    }

    [Fact]
    public void Labels_are_escaped()
    {
        var rows = BodyRows();
        Assert.Equal(Comparison.Rows.Count, rows.Length);
        Assert.All(rows, r => Assert.Equal(6, r.Length));
        Assert.Equal(["full", @"w/o\_ICN \& 50\%", "w/o BAN", "text, audio", "w/o GATE"], rows.Select(r => r[0]));
        Assert.Contains(@"\caption{Table 3: BCAF on iemocap\_4 (50\% data): test scores (\%)", Latex);
        Assert.Contains(@"difference to full in points", Latex);

        Assert.Equal(@"a\_b\%c\&d\#e\$f\{g\}h\textasciitilde{}i\textasciicircum{}j\textbackslash{}k\textless{}\textgreater{}\textbar{}",
            GridLatexExport.Escape(@"a_b%c&d#e$f{g}h~i^j\k<>|"));
    }

    [Fact]
    public void Exactly_the_best_cell_of_each_column_is_bold_with_deltas_and_daggers_as_the_comparison_says()
    {
        var rows = BodyRows();
        var labels = Comparison.Rows.Select(r => r.Variant.Variant).ToArray();
        var cells = rows.SelectMany((r, i) => r[2..].Select((cell, m) => (Variant: labels[i], Metric: GridComparison.Metrics[m], Cell: cell))).ToList();

        Assert.Equal(AblationGrid.BestCells, cells.Where(c => c.Cell.Contains("\\textbf{")).Select(c => (c.Variant, c.Metric)).ToHashSet());
        Assert.Equal(AblationGrid.BestCells.Count, Regex.Matches(Latex, @"\\textbf\{").Count);
        var significant = Comparison.Rows.SelectMany(r => r.Cells.Where(c => c.Value.Test?.IsSignificant == true).Select(c => (r.Variant.Variant, c.Key))).ToHashSet();
        Assert.Equal(significant, cells.Where(c => c.Cell.EndsWith("$^{\\dagger}$")).Select(c => (c.Variant, c.Metric)).ToHashSet());
        Assert.Contains((AblationGrid.Escaped, GridMetric.WA), significant);

        Assert.Equal("\\textbf{\\boldmath$60.50 \\pm 0.70$}", rows[0][2]);
        Assert.Equal("$57.23 \\pm 0.71$ ($-3.27$)$^{\\dagger}$", rows[1][2]);
        Assert.Equal("\\textbf{\\boldmath$59.17 \\pm 0.76$} ($+3.17$)$^{\\dagger}$", rows[1][5]);
        Assert.Equal("--", rows[4][2]);
        Assert.Matches(@"\{\\footnotesize \$\^\{\\dagger\}\$\\,\$p < 0\.05\$ against full .*Welch's t-test otherwise: text, audio; raw p-values, not adjusted for multiple comparisons\)\. Not in the statistics: text, audio: 1 failed; w/o GATE: 3 failed\.\\par\}", Latex);
    }
}
