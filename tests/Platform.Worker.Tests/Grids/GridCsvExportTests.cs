using System.Globalization;
using EmotionLab.Data.Queries;
using EmotionLab.Models.Corpora;
using EmotionLab.Worker.Grids;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>The CSV export parses back (RFC 4180) to exactly the numbers of the comparison the grid page shows.</summary>
public sealed class GridCsvExportTests
{
    private static readonly string[] Fields = ["mean", "std", "delta", "p", "significant"];

    /// <summary>Written under a comma-decimal culture, which must not leak into the file.</summary>
    private static string WriteUnderGermanCulture(GridComparison comparison)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try { return GridCsvExport.Write(GridTable.From(comparison)); }
        finally { CultureInfo.CurrentCulture = previous; }
    }

    private static double? ParseNumber(string field) => field.Length == 0 ? null : double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void Csv_parses_back_to_the_same_numbers_as_the_comparison()
    {
        var comparison = GridComparison.Build(AblationGrid.Results(), statistics: AblationGrid.Raw);
        var csv = WriteUnderGermanCulture(comparison);

        var reader = new CsvReader(csv);
        var records = reader.Records().ToList();
        Assert.Empty(reader.Problems);
        var header = records[0].Fields;
        Assert.Equal(["variant", "n", "is_reference", "test"], header.Take(4));
        Assert.Equal(4 + 4 * Fields.Length + 6, header.Count);
        Assert.Equal(comparison.Rows.Count, records.Count - 1);
        Assert.All(records, r => Assert.Equal(header.Count, r.Fields.Count));

        foreach (var (row, record) in comparison.Rows.Zip(records.Skip(1)))
        {
            string Field(string name) => record.Fields[header.ToList().IndexOf(name)];
            Assert.Equal(row.Variant.Variant, Field("variant"));
            Assert.Equal(row.Variant.N, int.Parse(Field("n"), CultureInfo.InvariantCulture));
            Assert.Equal(row.IsReference ? "true" : "false", Field("is_reference"));
            Assert.Equal(row.TestKind ?? "", Field("test"));
            Assert.Equal(row.Variant.Failed, int.Parse(Field("failed"), CultureInfo.InvariantCulture));
            foreach (var (metric, prefix) in new[] { (GridMetric.WA, "wa"), (GridMetric.UA, "ua"), (GridMetric.WeightedF1, "wf1"), (GridMetric.MacroF1, "mf1") })
            {
                var cell = row.Cells[metric];
                // Exact equality: the text must round-trip every bit of the double.
                Assert.Equal(cell.Scores.Mean, ParseNumber(Field($"{prefix}_mean")));
                Assert.Equal(cell.Scores.Std, ParseNumber(Field($"{prefix}_std")));
                Assert.Equal(cell.Delta, ParseNumber(Field($"{prefix}_delta")));
                Assert.Equal(cell.Test is { IsDefined: true } test ? test.P : null, ParseNumber(Field($"{prefix}_p")));
                Assert.Equal(cell.Test is null ? "" : cell.Test.IsSignificant ? "true" : "false", Field($"{prefix}_significant"));
            }
        }

        var escaped = records.Single(r => r.Fields[0] == AblationGrid.Escaped).Fields;
        // SciPy's ttest_rel on the fixture scores, and the means and std SciPy computed for them.
        Assert.Equal(AblationGrid.ScipyValue("three_seeds_clear_gap", "paired_p"), ParseNumber(escaped[header.ToList().IndexOf("wa_p")])!.Value, 1e-12);
        Assert.Equal(AblationGrid.ScipyValue("three_seeds_clear_gap", "mean_b"), ParseNumber(escaped[header.ToList().IndexOf("wa_mean")])!.Value, 1e-15);
        Assert.Equal(AblationGrid.ScipyValue("three_seeds_clear_gap", "std_b"), ParseNumber(escaped[header.ToList().IndexOf("wa_std")])!.Value, 1e-15);
        Assert.Equal("true", escaped[header.ToList().IndexOf("wa_significant")]);
        var failed = records.Single(r => r.Fields[0] == AblationGrid.AllFailed).Fields;
        Assert.Equal(["", "", "", "", ""], failed.Skip(header.ToList().IndexOf("wa_mean")).Take(5));
    }

    [Fact]
    public void By_default_p_is_holm_adjusted_over_the_variants_and_the_markers_follow_it()
    {
        var csv = GridCsvExport.Write(GridTable.From(GridComparison.Build(AblationGrid.Results())));
        var records = new CsvReader(csv).Records().ToList();
        var header = records[0].Fields.ToList();
        Assert.Equal(4 + 4 * (Fields.Length + 1) + 6, header.Count);
        string Field(string variant, string name) => records.Single(r => r.Fields[0] == variant).Fields[header.IndexOf(name)];

        // WA's three tests against the reference (two paired, one Welch), adjusted together.
        string[] tested = [AblationGrid.Escaped, AblationGrid.Overlap, AblationGrid.OtherSeeds];
        var raw = tested.Select(v => ParseNumber(Field(v, "wa_p"))!.Value).ToArray();
        var holm = EmotionLab.Models.Statistics.HolmAdjustment.Adjust(raw);
        Assert.Equal(holm, tested.Select(v => ParseNumber(Field(v, "wa_p_holm"))!.Value));
        // SciPy's paired p = 0.0195 is significant raw, not after Holm over three comparisons (0.0585).
        Assert.Equal(AblationGrid.ScipyValue("three_seeds_clear_gap", "paired_p"), raw[0], 1e-12);
        Assert.Equal(3 * raw[0], holm[0], 12);
        Assert.Equal("false", Field(AblationGrid.Escaped, "wa_significant"));
        Assert.Equal("", Field(AblationGrid.Reference, "wa_p_holm"));
    }

    [Theory]
    [InlineData("se", "wa_se")]
    [InlineData("ci", "wa_ci95")]
    public void The_chosen_interval_is_a_column_of_its_own(string interval, string column)
    {
        var statistics = TableStatistics.Parse(interval, "none").Statistics!;
        var records = new CsvReader(GridCsvExport.Write(GridTable.From(GridComparison.Build(AblationGrid.Results(), statistics: statistics)))).Records().ToList();
        var header = records[0].Fields.ToList();
        var reference = records.Single(r => r.Fields[0] == AblationGrid.Reference).Fields;
        // The reference's WA are SciPy's "a" scores of three_seeds_clear_gap: stats.sem and the half-width of stats.t.interval(0.95).
        var ci = AblationGrid.ScipyScores("three_seeds_clear_gap", "ci95_a");
        var expected = interval == "se" ? AblationGrid.ScipyValue("three_seeds_clear_gap", "sem_a") : (ci[1] - ci[0]) / 2;
        Assert.Equal(expected, ParseNumber(reference[header.IndexOf(column)])!.Value, 10); // MathNet's t quantile agrees with SciPy's to ~1e-12
        Assert.Equal("", records.Single(r => r.Fields[0] == AblationGrid.AllFailed).Fields[header.IndexOf(column)]);
        Assert.DoesNotContain("wa_p_holm", header);
    }

    [Fact]
    public void Csv_follows_rfc_4180()
    {
        var csv = GridCsvExport.Write(GridTable.From(GridComparison.Build(AblationGrid.Results())));
        Assert.EndsWith("\r\n", csv);
        Assert.DoesNotContain("\n", csv.Replace("\r\n", ""));
        Assert.Contains("\r\n\"text, audio\",2,false,Welch,", csv);
        Assert.Contains("\r\nw/o_ICN & 50%,3,false,paired,", csv);

        var quoted = GridResultsFromSeeds.Variant("say \"hi\"\nthere", [0, 1], [0.5, 0.6]);
        var text = GridCsvExport.Write(GridTable.From(GridComparison.Build(GridResultsFromSeeds.Results(null, quoted))));
        Assert.Contains("\r\n\"say \"\"hi\"\"\nthere\",2,", text);
        Assert.Equal("say \"hi\"\nthere", new CsvReader(text).Records().Skip(1).Single().Fields[0]);
    }
}
