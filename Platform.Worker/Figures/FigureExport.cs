using EmotionLab.Data;
using EmotionLab.Data.Queries;
using EmotionLab.Data.Queries.Comparison;
using EmotionLab.Worker.Grids;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Worker.Figures;

/// <summary>Reads what a <see cref="FigureRequest"/> needs from the database and draws it, or says why it cannot.</summary>
public sealed class FigureExport(EmotionLabDbContext db)
{
    /// <summary>Why the request names a figure its run or grid does not have, or null: a bad request, not missing data.</summary>
    public static string? KindProblem(FigureRequest request) =>
        request.RunId is not null && !FigureRequest.RunFigures.Contains(request.Figure)
            ? $"a run has no figure '{request.Figure}': use {string.Join("|", FigureRequest.RunFigures)}"
            : request.GridId is not null && !FigureRequest.GridFigures.Contains(request.Figure)
                ? $"a grid has no figure '{request.Figure}': use {string.Join("|", FigureRequest.GridFigures)}"
                : null;

    public async Task<(Figure? Figure, string? Problem)> BuildAsync(FigureRequest request, CancellationToken cancellation = default)
    {
        if (KindProblem(request) is { } kind) return (null, kind);
        if (request.RunId is { } runId)
        {
            var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellation);
            if (run is null) return (null, $"there is no run {runId}");
            switch (request.Figure)
            {
                case "loss":
                    var steps = await db.StepLosses.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Step).ToListAsync(cancellation);
                    return steps.Count == 0 ? (null, $"run {runId} has recorded no training step yet") : (RunFigures.Loss(runId, steps, request.Smoothing), null);
                case "curves":
                    var epochs = await db.EpochMetrics.AsNoTracking().Where(e => e.RunId == runId).ToListAsync(cancellation);
                    return epochs.Count == 0 ? (null, $"run {runId} has finished no epoch yet") : (RunFigures.Curves(runId, epochs, request.Metric), null);
                default:
                    var matrices = db.ConfusionMatrices.AsNoTracking().Where(m => m.RunId == runId && m.Split == request.Split);
                    var epoch = request.Epoch ?? run.BestEpoch ?? await matrices.MaxAsync(m => (int?)m.Epoch, cancellation);
                    var matrix = epoch is null ? null : await matrices.SingleOrDefaultAsync(m => m.Epoch == epoch, cancellation);
                    return matrix is null
                        ? (null, $"run {runId} has no {request.Split} confusion matrix{(epoch is null ? "" : $" at epoch {epoch}")}")
                        : (RunFigures.Matrix(runId, matrix, request.Normalised), null);
            }
        }
        if (request.GridId is not { } gridId) return (null, "give a run or a grid");
        if (request.Figure == "matrices") return await GridMatricesAsync(gridId, cancellation);
        var results = await new GridResultsQuery(db).ExecuteAsync(gridId, cancellation);
        return results is null ? (null, $"there is no grid {gridId}") : DrawGrid(request, results);
    }

    /// <summary>The grid's variants' mean test matrices over their succeeded runs, as the compare page groups them by variant.</summary>
    private async Task<(Figure? Figure, string? Problem)> GridMatricesAsync(long gridId, CancellationToken cancellation)
    {
        var grid = await new GridVariantRunsQuery(db).ExecuteAsync(gridId, [], cancellation);
        if (grid is null) return (null, $"there is no grid {gridId}");
        var runs = (await new ComparedRunsQuery(db).ExecuteAsync(grid.RunIds, cancellation)).Runs;
        // Experiments in the grid's order (its runs come variant by variant).
        var order = runs.Select(r => r.ExperimentId).Distinct().ToList();
        var variants = (await new ComparisonChartsQuery(db).VariantMeansAsync([.. runs.Select(r => r.Id)], cancellation)).OrderBy(v => order.IndexOf(v.ExperimentId)).ToList();
        var names = ComparisonNames.Variants(runs);
        var (figure, problem) = CompareFigures.VariantMatrices(variants, id => names[id], $"grid-{gridId}-matrices");
        return figure is null ? (null, $"grid {gridId}: {problem}") : (figure, null);
    }

    /// <summary>A grid's figure from its results already read (the grid page has them): no second query.</summary>
    public static (Figure? Figure, string? Problem) DrawGrid(FigureRequest request, GridResults results)
    {
        if (KindProblem(request) is { } kind) return (null, kind);
        if (request.Figure == "matrices") throw new ArgumentException("a grid's matrices are drawn from its runs' confusion matrices, which its results do not hold: use BuildAsync", nameof(request));
        var gridId = results.Grid.Id;
        if (request.Figure == "bars")
            return results.Variants.Any(v => v.Metrics[request.Metric.Metric].Mean is not null)
                ? (GridFigures.Bars(results, request.Metric, request.Interval), null)
                : (null, $"grid {gridId} has no variant with a test score yet");
        var charts = SensitivityChart.For(results);
        if (charts.Count == 0) return (null, $"grid {gridId} has no numeric axis with two values or more to plot against");
        var chart = request.Axis is null ? charts[0] : charts.FirstOrDefault(c => c.Axis == request.Axis);
        return chart is null
            ? (null, $"grid {gridId} has no numeric axis '{request.Axis}': its numeric axes are {string.Join(", ", charts.Select(c => c.Axis))}")
            : (GridFigures.Sensitivity(gridId, chart, request.Metric), null);
    }
}
