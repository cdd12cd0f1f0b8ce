using System.Globalization;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Data.Tests;
using CsvReader = EmotionLab.Models.Corpora.CsvReader;
using EmotionLab.Worker.Grids;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>
/// `export` against a throwaway PostgreSQL holding the ablation grid as runs and test scores: the
/// numbers go through GridResultsQuery's SQL and come out in every format; errors exit non-zero.
/// </summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class ExportVerbTests(ThrowawayPostgres postgres) : IAsyncLifetime
{
    private long gridId;

    public async Task InitializeAsync() => gridId = await StoredGrid.StoreAsync(postgres, AblationGrid.Results());

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(int Exit, string Output, string Errors)> ExportAsync(string format, string? reference = null, FileInfo? outFile = null, long? grid = null, string? database = null,
        string? interval = null, string? adjust = null)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await ExportVerb.RunAsync(grid ?? gridId, format, reference, database ?? postgres.ConnectionString, outFile, output, errors, CancellationToken.None, interval, adjust);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Csv_from_the_database_carries_the_comparisons_numbers()
    {
        var (exit, csv, errors) = await ExportAsync("csv");
        Assert.Equal(0, exit);
        Assert.Equal("", errors);

        var expected = GridComparison.Build(AblationGrid.Results());
        var records = new CsvReader(csv).Records().ToList();
        var header = records[0].Fields.ToList();
        Assert.Equal(expected.Rows.Select(r => r.Variant.Variant), records.Skip(1).Select(r => r.Fields[0]));
        foreach (var (row, record) in expected.Rows.Zip(records.Skip(1)))
        {
            Assert.Equal(row.IsReference ? "true" : "false", record.Fields[header.IndexOf("is_reference")]);
            Assert.Equal(row.TestKind ?? "", record.Fields[header.IndexOf("test")]);
            Assert.Equal(row.Variant.Failed.ToString(CultureInfo.InvariantCulture), record.Fields[header.IndexOf("failed")]);
            foreach (var (metric, prefix) in new[] { (GridMetric.WA, "wa"), (GridMetric.MacroF1, "mf1") })
            {
                var cell = row.Cells[metric];
                var mean = record.Fields[header.IndexOf($"{prefix}_mean")];
                var p = record.Fields[header.IndexOf($"{prefix}_p")];
                if (cell.Scores.Mean is { } m) Assert.Equal(m, double.Parse(mean, CultureInfo.InvariantCulture), 1e-12); // PostgreSQL's avg
                else Assert.Equal("", mean);
                if (cell.Test is { } test) Assert.Equal(test.P, double.Parse(p, CultureInfo.InvariantCulture), 1e-9);
                else Assert.Equal("", p);
            }
        }
    }

    [Fact]
    public async Task Another_reference_moves_the_deltas_and_markdown_and_latex_go_to_files()
    {
        var (exit, csv, _) = await ExportAsync("csv", reference: AblationGrid.Overlap);
        Assert.Equal(0, exit);
        var rows = new CsvReader(csv).Records().Skip(1).ToDictionary(r => r.Fields[0]);
        Assert.Equal("true", rows[AblationGrid.Overlap].Fields[2]);
        Assert.Equal("false", rows[AblationGrid.Reference].Fields[2]);
        Assert.Equal("paired", rows[AblationGrid.Reference].Fields[3]);

        var folder = Directory.CreateTempSubdirectory("grid-export-");
        try
        {
            var md = new FileInfo(Path.Combine(folder.FullName, "table.md"));
            (exit, var output, _) = await ExportAsync("md", outFile: md, adjust: "none");
            Assert.Equal(0, exit);
            Assert.Contains(md.FullName, output);
            var text = await File.ReadAllTextAsync(md.FullName);
            Assert.Contains("| Variant | n | WA | UA | WF1 | MF1 |", text);
            Assert.Contains(@"| w/o\_ICN & 50% | 3 | 57.23 ± 0.71 (-3.27)† |", text);

            var tex = new FileInfo(Path.Combine(folder.FullName, "table.tex"));
            (exit, _, _) = await ExportAsync("LaTeX", outFile: tex, adjust: "none");
            Assert.Equal(0, exit);
            Assert.Contains(@"w/o\_ICN \& 50\% & 3 & $57.23 \pm 0.71$ ($-3.27$)$^{\dagger}$", await File.ReadAllTextAsync(tex.FullName));
        }
        finally { folder.Delete(recursive: true); }
    }

    [Fact]
    public async Task By_default_p_is_holm_adjusted_and_the_note_says_so_and_the_interval_is_a_choice()
    {
        var (exit, md, errors) = await ExportAsync("md");
        Assert.True(exit == 0, errors);
        Assert.Contains("p-values Holm–Bonferroni adjusted over the 3 variants compared with the reference, per metric", md);
        Assert.Contains(@"| w/o\_ICN & 50% | 3 | 57.23 ± 0.71 (-3.27) |", md); // raw p 0.0195, Holm 0.0585

        (exit, md, errors) = await ExportAsync("md", interval: "se", adjust: "none");
        Assert.True(exit == 0, errors);
        Assert.Contains("mean ± standard error of the mean over seeds (std / √n)", md);
        Assert.Contains(@"| w/o\_ICN & 50% | 3 | 57.23 ± 0.41 (-3.27)† |", md); // std 0.71 / √3

        (exit, var tex, errors) = await ExportAsync("latex", interval: "ci");
        Assert.True(exit == 0, errors);
        Assert.Contains("half-width of the 95\\% confidence interval of the mean over seeds", tex);

        (exit, _, errors) = await ExportAsync("md", interval: "iqr");
        Assert.Equal((2, "export: interval must be std|se|ci, not 'iqr'\n"), (exit, errors));
        (exit, _, errors) = await ExportAsync("md", adjust: "bonferroni");
        Assert.Equal((2, "export: adjust must be holm|none, not 'bonferroni'\n"), (exit, errors));
    }

    [Fact]
    public async Task Unknown_grids_formats_and_references_are_errors_with_a_non_zero_exit()
    {
        var (exit, output, errors) = await ExportAsync("csv", grid: 987654);
        Assert.Equal((1, "", "export: there is no grid 987654\n"), (exit, output, errors));

        (exit, output, errors) = await ExportAsync("xlsx");
        Assert.Equal((2, ""), (exit, output));
        Assert.Equal("export: unknown format 'xlsx': use csv, md or latex\n", errors);

        (exit, output, errors) = await ExportAsync("md", reference: "w/o NOPE");
        Assert.Equal((1, ""), (exit, output));
        Assert.Equal($"export: grid {gridId} has no variant 'w/o NOPE'; its variants: 'full', 'w/o_ICN & 50%', 'w/o BAN', 'text, audio', 'w/o GATE'\n", errors);

        (exit, _, errors) = await ExportAsync("md", outFile: new FileInfo("/nonexistent-folder/table.md"));
        Assert.Equal(1, exit);
        Assert.StartsWith("export: cannot write /nonexistent-folder/table.md", errors);
    }

    [Fact]
    public async Task The_worker_command_line_dispatches_export()
    {
        var file = Path.Combine(Path.GetTempPath(), $"grid-{Guid.NewGuid():N}.tex");
        try
        {
            var (exit, output, errors) = await WorkerCommandLine.RunAsync("export", "--grid", gridId.ToString(CultureInfo.InvariantCulture), "--format", "latex",
                "--reference", AblationGrid.Escaped, "--database", postgres.ConnectionString, "--out", file);
            Assert.True(exit == 0, errors);
            Assert.Contains("export: wrote grid", output);
            Assert.Contains(@"difference to w/o\_ICN \& 50\% in points", await File.ReadAllTextAsync(file));

            (exit, output, errors) = await WorkerCommandLine.RunAsync("export", "--grid", gridId.ToString(CultureInfo.InvariantCulture), "--format", "docx", "--database", postgres.ConnectionString);
            Assert.Equal(2, exit);
            Assert.Equal("", output);
            Assert.Contains("unknown format 'docx'", errors);
        }
        finally { File.Delete(file); }
    }
}
