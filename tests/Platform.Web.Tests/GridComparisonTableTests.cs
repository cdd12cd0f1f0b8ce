using EmotionLab.Web.Components.Grids;
using EmotionLab.Worker.Grids;
using static EmotionLab.Worker.Tests.Grids.GridResultsFromSeeds;

namespace EmotionLab.Web.Tests;

/// <summary>The grid table component over a comparison (the comparison itself: Platform.Worker.Tests' GridComparisonTests), rendered alone.</summary>
[Collection(nameof(WebAppFixture))]
public sealed class GridComparisonTableTests(WebAppFixture app)
{
    [Fact]
    public async Task Unfinished_runs_are_named_in_their_row_and_kept_out_of_the_statistics()
    {
        var full = Variant("full", [1, 2], [0.70, 0.72]);
        var stillRunning = Variant("w/o A", [1], [0.66]) with { Running = 1 };
        var html = await RenderAsync(GridComparison.Build(Results("full", full, stillRunning)));
        Assert.Matches("data-variant=\"w/o A\".*1 running", System.Text.RegularExpressions.Regex.Replace(html, "\\s+", " "));
        Assert.Contains("1 run not in the statistics: 1 not finished", html);
        Assert.DoesNotContain("grid-warning", await RenderAsync(GridComparison.Build(Results("full", full))));
    }

    [Fact]
    public async Task A_fold_grid_says_its_rows_are_means_over_folds()
    {
        var grid = Grid("fold 1");
        grid.AxesJson = System.Text.Json.JsonSerializer.Serialize(new[] { Models.Experiments.GridAxis.Folds(2) }, Models.Experiments.ExperimentSpecJson.Options);
        var html = await RenderAsync(GridComparison.Build(new(grid, [Variant("fold 1", [1, 2], [0.6, 0.7]), Variant("fold 2", [1, 2], [0.4, 0.5])])));
        Assert.Contains("id=\"grid-folds\"", html);
        Assert.Contains("mean over the 2 test folds (fold 1, fold 2)", html);
        Assert.Contains("data-variant=\"mean over folds\"", html);
        Assert.DoesNotContain("grid-folds", await RenderAsync(GridComparison.Build(Results("full", Variant("full", [1, 2], [0.70, 0.72])))));
    }

    private Task<string> RenderAsync(GridComparison comparison) =>
        app.RenderAsync<GridComparisonTable>(new() { [nameof(GridComparisonTable.Comparison)] = comparison });
}
