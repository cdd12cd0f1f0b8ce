using EmotionLab.Worker.Grids;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>What `export` and the API share: format names, file names, the reference check.</summary>
public sealed class GridTableExportTests
{
    [Fact]
    public void Formats_are_found_by_name_and_files_are_named_after_the_grid()
    {
        Assert.Equal([GridTableFormat.Csv, GridTableFormat.Markdown, GridTableFormat.Latex], new[] { "csv", "MD", " latex " }.Select(GridTableFormat.Find));
        Assert.Null(GridTableFormat.Find("xlsx"));
        Assert.Null(GridTableFormat.Find(null));
        Assert.Equal("csv, md or latex", GridTableFormat.Names);

        var grid = GridResultsFromSeeds.Grid("full", AblationGrid.Name);
        Assert.Equal("table-3-bcaf-on-iemocap-4-50-data-grid-7.tex", GridTableExport.FileName(grid, GridTableFormat.Latex));
        Assert.Equal("grid-7.md", GridTableExport.FileName(GridResultsFromSeeds.Grid("full", "§ ¶"), GridTableFormat.Markdown));
        Assert.Equal("tab:grid-7", GridLatexExport.LabelKey(GridResultsFromSeeds.Grid("full", "§ ¶")));
    }

    [Fact]
    public void A_reference_the_grid_lacks_is_a_problem_naming_the_variants()
    {
        var results = AblationGrid.Results();
        Assert.Null(GridTableExport.ReferenceProblem(results, null));
        Assert.Null(GridTableExport.ReferenceProblem(results, AblationGrid.Overlap));
        Assert.Equal("grid 7 has no variant 'w/o'; its variants: 'full', 'w/o_ICN & 50%', 'w/o BAN', 'text, audio', 'w/o GATE'",
            GridTableExport.ReferenceProblem(results, "w/o"));
    }
}
