using System.Globalization;
using System.Text;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// The grid table as GitHub Markdown: a caption line saying what the numbers are (test scores in %,
/// mean ± the table's interval over seeds, how p was adjusted), a table of variant, n and one "mean ± spread (Δ)†" cell per metric
/// with the best mean of each column in bold, then the runs left out of the statistics.
/// </summary>
public static class GridMarkdownExport
{
    public const string SignificanceMarker = "†";

    public static string Write(GridTable table)
    {
        var md = new StringBuilder();
        md.Append($"**{Escape(table.Grid.Name)}** (grid {table.Grid.Id}): test scores in % at each run's best validation epoch, " +
                  $"{table.Statistics.Interval.Meaning}; n = seeds counted.");
        if (table.Reference is { } reference)
            md.Append($" In parentheses: difference to **{Escape(reference)}** in points; {SignificanceMarker} p < {SignificanceTest.Alpha.ToString(CultureInfo.InvariantCulture)} " +
                      $"(two-sided paired t-test over seeds when a variant has the same seeds as the reference, Welch's t-test otherwise; {table.AdjustmentNote}).");
        md.Append(" Best mean per column in bold.\n\n");

        md.Append("| Variant | n | ").AppendJoin(" | ", table.Columns.Select(c => c.Header)).Append(" |\n");
        md.Append("| :--- | ---: |").Append(string.Concat(table.Columns.Select(_ => " ---: |"))).Append('\n');
        foreach (var row in table.Rows)
        {
            md.Append("| ").Append(Escape(GridTable.Label(row.Variant)));
            md.Append(" | ").Append(row.Variant.N);
            foreach (var column in table.Columns) md.Append(" | ").Append(Cell(row.Cells[column.Metric]));
            md.Append(" |\n");
        }

        var notes = new List<string>();
        if (table.FoldNote is { } folds) notes.Add(Escape(folds));
        if (table.WelchRows.Count > 0) notes.Add($"Welch's t-test (seeds differ from the reference's): {string.Join(", ", table.WelchRows.Select(Escape))}.");
        if (table.ExclusionNotes.Count > 0)
            notes.Add("Not in the statistics: " + string.Join("; ", table.ExclusionNotes.Select(Escape)) + ".");
        if (notes.Count > 0) md.Append('\n').AppendJoin("\n\n", notes).Append('\n');
        return md.ToString();
    }

    private static string Cell(ComparisonCell cell)
    {
        if (cell.Scores.Mean is not { } mean) return "–";
        var scores = PaperNumbers.Percent(mean) + (cell.Spread is { } spread ? " ± " + PaperNumbers.Percent(spread) : "");
        var text = cell.IsBest ? $"**{scores}**" : scores;
        if (cell.Delta is { } delta) text += $" ({PaperNumbers.SignedPoints(delta)})";
        if (cell.Test?.IsSignificant == true) text += SignificanceMarker;
        return text;
    }

    /// <summary>Backslash-escapes what would end a cell (|) or start emphasis, code, links, HTML or math ($) in a label.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '|' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '~' or '#' or '$') escaped.Append('\\');
            escaped.Append(c is '\r' or '\n' ? ' ' : c);
        }
        return escaped.ToString();
    }
}
