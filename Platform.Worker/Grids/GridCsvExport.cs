using System.Globalization;
using System.Text;
using EmotionLab.Models.Corpora;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// The grid table for scripts and spreadsheets: RFC 4180 (CRLF, a field quoted when it holds a
/// comma, quote or line break, quotes doubled), a header row, one row per variant. Scores are
/// fractions (0..1) as stored, written in the invariant culture with the shortest text that parses
/// back to the same double; an empty field means no value (no scores, no reference, or an
/// undefined test). Per metric: mean, std, the table's interval as its own column when it is not
/// std (se, or ci95: the half-width of the 95% confidence interval), delta against the reference,
/// the raw p-value, the Holm-adjusted one when the table adjusts (p_holm), and significant (the
/// shown p &lt; 0.05).
/// </summary>
public static class GridCsvExport
{
    public static string Write(GridTable table)
    {
        var csv = new StringBuilder();
        var interval = table.Statistics.Interval;
        var spreadField = interval == SpreadInterval.Std ? null : interval == SpreadInterval.StandardError ? "se" : "ci95";
        var header = new List<string> { "variant", "n", "is_reference", "test" };
        var fieldNames = new[] { "mean", "std", spreadField, "delta", "p", table.Statistics.Holm ? "p_holm" : null, "significant" }.OfType<string>().ToArray();
        foreach (var column in table.Columns)
            header.AddRange(fieldNames.Select(field => $"{column.CsvPrefix}_{field}"));
        header.AddRange(["failed", "canceled", "queued", "running", "unscored", "missing_seeds"]);
        WriteRecord(csv, header);

        foreach (var row in table.Rows)
        {
            var variant = row.Variant;
            var fields = new List<string> { variant.Variant, Number(variant.N), Flag(row.IsReference), row.TestKind ?? "" };
            foreach (var column in table.Columns)
            {
                var cell = row.Cells[column.Metric];
                var p = cell.Test is { IsDefined: true } test ? test.P : (double?)null;
                fields.AddRange([Number(cell.Scores.Mean), Number(cell.Scores.Std)]);
                if (spreadField is not null) fields.Add(Number(cell.Spread));
                fields.AddRange([Number(cell.Delta), Number(p)]);
                if (table.Statistics.Holm) fields.Add(Number(cell.Test?.AdjustedP));
                fields.Add(cell.Test is null ? "" : Flag(cell.Test.IsSignificant));
            }
            fields.AddRange(new[] { variant.Failed, variant.Canceled, variant.Queued, variant.Running, variant.Unscored, variant.MissingSeeds.Count }.Select(Number));
            WriteRecord(csv, fields);
        }
        return csv.ToString();
    }

    // "R"-free: .NET's default double formatting is already the shortest round-trippable text.
    private static string Number(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Flag(bool value) => value ? "true" : "false";

    private static void WriteRecord(StringBuilder csv, IEnumerable<string> fields)
    {
        csv.AppendJoin(',', fields.Select(CsvField.Quote));
        csv.Append("\r\n");
    }
}
