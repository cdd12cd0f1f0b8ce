using System.Globalization;
using EmotionLab.Data.Queries.Comparison;
using EmotionLab.Worker.Figures;

namespace EmotionLab.Web.Compare;

/// <summary>
/// One figure of a comparison, as the compare page shows it and its download link names it:
/// GET /api/compare/figures/{loss|validation|matrix|class-f1}?runs=…|grid=…&amp;variant=…
/// &amp;group=run|variant, and for a matrix run=ID (grouped by run, with normalised=true for
/// fractions) or experiment=ID (grouped by variant: the variant's mean matrix).
/// </summary>
public sealed record CompareFigureRequest(CompareRequest Selection, string Figure, bool Normalised = false, long? Run = null, long? Experiment = null)
{
    /// <summary>The figure's link in a format and size.</summary>
    public string Url(FigureFormat format, FigureSize size)
    {
        var query = Selection.SelectionQueryString() + $"&group={Selection.Grouping.ToString().ToLowerInvariant()}&format={format.Name}&size={size.Name}";
        if (Run is { } run) query += $"&run={run.ToString(CultureInfo.InvariantCulture)}";
        if (Experiment is { } experiment) query += $"&experiment={experiment.ToString(CultureInfo.InvariantCulture)}";
        if (Normalised) query += "&normalised=true";
        return $"/api/compare/figures/{Figure}{query}";
    }

    /// <summary>What is wrong with the figure's own options, or null.</summary>
    public string? Problem()
    {
        if (!CompareFigures.Names.Contains(Figure)) return $"a comparison has no figure '{Figure}': use {string.Join("|", CompareFigures.Names)}";
        if (Figure != "matrix") return Run is null && Experiment is null ? null : "run and experiment pick a matrix: use them with the matrix figure";
        var byVariant = Selection.Grouping == CompareGrouping.Variant;
        return byVariant
            ? Experiment is null || Run is not null ? "grouped by variant, a matrix is a variant's mean: give experiment=ID (and no run)" : null
            : Run is null || Experiment is not null ? "grouped by run, a matrix is a run's: give run=ID (and no experiment)" : null;
    }

    /// <summary>Draws the figure from the comparison's runs and charts, or says why it cannot.</summary>
    public (Figure? Figure, string? Problem) Draw(IReadOnlyList<ComparedRun> runs, CompareFigures figures)
    {
        switch (Figure)
        {
            case "loss": return figures.Loss();
            case "validation": return figures.Validation();
            case "class-f1": return figures.ClassF1();
        }
        if (Run is { } runId)
            return runs.FirstOrDefault(r => r.Id == runId) is { } run ? figures.RunMatrix(run, Normalised) : (null, $"run {runId} is not among the runs compared");
        return figures.Variants.FirstOrDefault(v => v.ExperimentId == Experiment) is { } variant
            ? (figures.VariantMatrix(variant), null)
            : (null, $"experiment {Experiment} is not a variant of this comparison with a test matrix");
    }
}
