using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using EmotionLab.Worker.Figures;
using EmotionLab.Worker.Grids;
using EmotionLab.Worker.Tests.Grids;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Worker.Tests.Figures;

/// <summary>
/// `export --figure` as a researcher runs it, against a throwaway PostgreSQL holding a grid and a
/// trained run: each figure file is exactly what <see cref="FigureExport"/> renders (the bytes the
/// pages offer), and what cannot be drawn says why with a non-zero exit.
/// </summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class FigureExportCommandTests(ThrowawayPostgres postgres) : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("figures-").FullName;
    private long gridId;
    private long runId;

    public async Task InitializeAsync()
    {
        gridId = await StoredGrid.StoreAsync(postgres, AblationGrid.Results());
        await using var db = postgres.NewContext();
        var run = await db.Runs.FirstAsync(r => r.GridId == gridId && r.Status == RunStatus.Succeeded);
        runId = run.Id;
        db.StepLosses.AddRange(Enumerable.Range(1, 40).Select(step => new StepLoss { RunId = runId, Step = step, Epoch = 1 + (step - 1) / 20, Loss = 2.0 / step }));
        db.EpochMetrics.AddRange(new[] { "train", "validation" }.SelectMany(split => Enumerable.Range(1, 2).Select(epoch =>
            new EpochMetric { RunId = runId, Epoch = epoch, Split = split, WeightedF1 = 0.4 + 0.1 * epoch, WA = 0.5, UA = 0.5, MacroF1 = 0.4 })));
        db.ConfusionMatrices.Add(new ConfusionMatrixRow { RunId = runId, Epoch = 2, Split = "test", Labels = ["neutral", "joy"], Counts = [9, 1, 2, 8] });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<byte[]> RenderedAsync(FigureRequest request, FigureFormat format, FigureSize size)
    {
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(postgres.ConnectionString));
        var (figure, problem) = await new FigureExport(db).BuildAsync(request);
        Assert.True(figure is not null, problem);
        return figure.Render(format, size);
    }

    [Theory]
    [InlineData("run", "loss", "svg", "single")]
    [InlineData("run", "curves", "png", "single")]
    [InlineData("run", "matrix", "svg", "double")]
    [InlineData("grid", "bars", "png", "double")]
    public async Task The_file_is_the_figure_the_platform_renders_byte_for_byte(string of, string figure, string format, string size)
    {
        var id = of == "run" ? runId : gridId;
        var file = Path.Combine(folder, $"{of}-{figure}.{format}");
        var (exit, output, errors) = await WorkerCommandLine.RunAsync("export", $"--{of}", id.ToString(), "--figure", figure, "--format", format, "--size", size,
            "--out", file, "--database", postgres.ConnectionString);
        Assert.True(exit == 0, errors);
        Assert.Contains($"wrote {figure} of {of} {id} ({size} column, {format}) to {file}", output);

        var request = new FigureRequest(of == "run" ? runId : null, of == "grid" ? gridId : null, figure);
        Assert.Equal(await RenderedAsync(request, FigureFormat.Find(format)!, FigureSize.Find(size)!), await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task Without_out_the_figure_is_written_under_its_own_name()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "exec", typeof(ExportVerb).Assembly.Location, "export", "--run", runId.ToString(), "--figure", "matrix", "--normalised",
                     "--database", postgres.ConnectionString })
            start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
        Assert.True(File.Exists(Path.Combine(folder, $"run-{runId}-matrix-test-epoch-2-normalised.svg")));
    }

    [Fact]
    public async Task What_cannot_be_drawn_says_why()
    {
        async Task<string> FailsAsync(int expectedExit, params string[] arguments)
        {
            var (exit, _, errors) = await WorkerCommandLine.RunAsync(["export", .. arguments, "--database", postgres.ConnectionString]);
            Assert.Equal(expectedExit, exit);
            return errors.Trim();
        }

        Assert.Equal("export: a run has no figure 'bars': use loss|curves|matrix", await FailsAsync(1, "--run", runId.ToString(), "--figure", "bars"));
        Assert.Equal($"export: run {runId} has no validation confusion matrix at epoch 2",
            await FailsAsync(1, "--run", runId.ToString(), "--figure", "matrix", "--split", "validation"));
        Assert.Equal($"export: grid {gridId} has no numeric axis with two values or more to plot against",
            await FailsAsync(1, "--grid", gridId.ToString(), "--figure", "sensitivity"));
        Assert.Equal("export: there is no run 999999", await FailsAsync(1, "--run", "999999", "--figure", "loss"));
        Assert.Equal("export: unknown figure format 'jpg': use svg or png", await FailsAsync(2, "--run", runId.ToString(), "--figure", "loss", "--format", "jpg"));
        Assert.Equal("export: a figure is of a grid or of a run: give --grid ID or --run ID", await FailsAsync(2, "--figure", "loss"));
    }
}
