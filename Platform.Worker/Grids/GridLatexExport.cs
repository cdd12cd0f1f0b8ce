using System.Globalization;
using System.Text;
using EmotionLab.Data.Entities;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// The grid table as a LaTeX booktabs table (needs \usepackage{booktabs}): each metric cell is
/// $mean \pm spread$ in % (std, standard error or 95% CI half-width, as the caption says), the best mean of a column in \textbf{} (with \boldmath, so the math is bold
/// too), the delta to the reference in parentheses and a dagger where p &lt; 0.05, explained in a
/// footnote under the tabular with the runs left out. Every label is escaped for LaTeX.
/// </summary>
public static class GridLatexExport
{
    public const string SignificanceMarker = "$^{\\dagger}$";

    public static string Write(GridTable table)
    {
        var grid = table.Grid;
        var tex = new StringBuilder();
        tex.Append($"% EmotionLab grid {grid.Id} ({OneLine(grid.Name)}); needs \\usepackage{{booktabs}}\n");
        tex.Append("\\begin{table}[t]\n  \\centering\n");
        tex.Append("  \\begin{tabular}{@{}lr").Append('c', table.Columns.Count).Append("@{}}\n");
        tex.Append("    \\toprule\n");
        tex.Append("    Variant & $n$ & ").AppendJoin(" & ", table.Columns.Select(c => c.Header)).Append(" \\\\\n");
        tex.Append("    \\midrule\n");
        foreach (var row in table.Rows)
        {
            tex.Append("    ").Append(Escape(GridTable.Label(row.Variant))).Append(" & ").Append(row.Variant.N.ToString(CultureInfo.InvariantCulture));
            foreach (var column in table.Columns) tex.Append(" & ").Append(Cell(row.Cells[column.Metric]));
            tex.Append(" \\\\\n");
        }
        tex.Append("    \\bottomrule\n");
        tex.Append("  \\end{tabular}\n");

        var footnotes = new List<string>();
        if (table.FoldNote is { } folds) footnotes.Add(Escape(folds));
        if (table.Reference is { } reference)
            footnotes.Add($"{SignificanceMarker}\\,$p < {SignificanceTest.Alpha.ToString(CultureInfo.InvariantCulture)}$ against {Escape(reference)} " +
                          "(two-sided paired t-test over seeds when a variant has the reference's seeds, Welch's t-test otherwise" +
                          (table.WelchRows.Count > 0 ? $": {string.Join(", ", table.WelchRows.Select(Escape))}" : "") + $"; {Escape(table.AdjustmentNote)}).");
        if (table.ExclusionNotes.Count > 0)
            footnotes.Add("Not in the statistics: " + string.Join("; ", table.ExclusionNotes.Select(Escape)) + ".");
        if (footnotes.Count > 0)
            tex.Append("  \\par\\smallskip\n  {\\footnotesize ").AppendJoin(" ", footnotes).Append("\\par}\n");

        tex.Append("  \\caption{").Append(Escape(grid.Name)).Append(": test scores (\\%) at each run's best validation epoch, ").Append(CaptionInterval(table.Statistics.Interval));
        if (table.Reference is { } referenceName) tex.Append("; in parentheses the difference to ").Append(Escape(referenceName)).Append(" in points");
        tex.Append(". Best per column in bold.}\n");
        tex.Append("  \\label{").Append(LabelKey(grid)).Append("}\n");
        tex.Append("\\end{table}\n");
        return tex.ToString();
    }

    private static string Cell(ComparisonCell cell)
    {
        if (cell.Scores.Mean is not { } mean) return "--";
        var scores = "$" + PaperNumbers.Percent(mean) + (cell.Spread is { } spread ? " \\pm " + PaperNumbers.Percent(spread) : "") + "$";
        var text = cell.IsBest ? $"\\textbf{{\\boldmath{scores}}}" : scores;
        if (cell.Delta is { } delta) text += $" (${PaperNumbers.SignedPoints(delta)}$)";
        if (cell.Test?.IsSignificant == true) text += SignificanceMarker;
        return text;
    }

    private static string CaptionInterval(SpreadInterval interval) =>
        interval == SpreadInterval.Std ? "mean $\\pm$ standard deviation over seeds"
        : interval == SpreadInterval.StandardError ? "mean $\\pm$ standard error of the mean over seeds"
        : "mean $\\pm$ half-width of the 95\\% confidence interval of the mean over seeds (Student's $t$)";

    /// <summary>Text-mode escaping of LaTeX's special characters, in one pass so no replacement is escaped again.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
            escaped.Append(c switch
            {
                '\\' => "\\textbackslash{}",
                '{' or '}' or '_' or '%' or '&' or '#' or '$' => "\\" + c,
                '~' => "\\textasciitilde{}",
                '^' => "\\textasciicircum{}",
                // OT1 fonts print these as other glyphs in text mode.
                '<' => "\\textless{}",
                '>' => "\\textgreater{}",
                '|' => "\\textbar{}",
                '\r' or '\n' => " ",
                _ => c.ToString(),
            });
        return escaped.ToString();
    }

    /// <summary>tab:&lt;grid name as lower-case letters, digits and dashes&gt;, or tab:grid-ID when the name has none.</summary>
    public static string LabelKey(Grid grid)
    {
        var slug = GridTableExport.Slug(grid.Name);
        return "tab:" + (slug.Length > 0 ? slug : $"grid-{grid.Id}");
    }

    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
}
