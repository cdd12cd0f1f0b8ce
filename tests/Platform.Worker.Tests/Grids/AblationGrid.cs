using EmotionLab.Data.Queries;
using EmotionLab.Models.Tests;
using EmotionLab.Worker.Grids;
using static EmotionLab.Worker.Tests.Grids.GridResultsFromSeeds;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>
/// A small ablation for the export tests, built as GridResultsQuery returns results: WA of the
/// reference and of two variants are SciPy's fixture scores (three seeds each, so their paired
/// p-values are SciPy's), labels that need escaping, a row on other seeds (Welch's test) and a row
/// whose runs all failed. Each column's best mean sits in a different row.
/// </summary>
public static class AblationGrid
{
    public const string Name = "Table 3: BCAF on iemocap_4 (50% data)";
    public const string Reference = "full";
    /// <summary>Clearly worse on WA (SciPy: paired p = 0.0195), clearly better and best on MF1; its label needs escaping in every format.</summary>
    public const string Escaped = "w/o_ICN & 50%";
    /// <summary>About as good as the reference on WA (SciPy: paired p = 0.64), best on UA.</summary>
    public const string Overlap = "w/o BAN";
    /// <summary>Seed 1 failed, so it is compared with Welch's test; best on WF1; its label holds a comma (quoted in CSV).</summary>
    public const string OtherSeeds = "text, audio";
    public const string AllFailed = "w/o GATE";

    /// <summary>The table with raw p-values and ± std, so the markers follow SciPy's p-values as they are.</summary>
    public static readonly TableStatistics Raw = new(SpreadInterval.Std, Holm: false);

    private static readonly JsonFixtureCases Scipy = new("statistics", "scipy.json");
    public static double[] ScipyScores(string @case, string side) => JsonFixtureCases.Doubles(Scipy[@case], side);
    public static double ScipyValue(string @case, string key) => Scipy[@case].GetProperty(key).GetDouble();

    /// <summary>Each column's best mean, read off the values below by hand.</summary>
    public static readonly IReadOnlySet<(string Variant, GridMetric Metric)> BestCells = new HashSet<(string, GridMetric)>
    {
        (Reference, GridMetric.WA), (Overlap, GridMetric.UA), (OtherSeeds, GridMetric.WeightedF1), (Escaped, GridMetric.MacroF1),
    };

    public static GridResults Results()
    {
        var reference = ScipyScores("three_seeds_clear_gap", "a"); // mean 0.605
        var worse = ScipyScores("three_seeds_clear_gap", "b");     // mean 0.5723
        var close = ScipyScores("three_seeds_overlap", "b");       // mean 0.6027
        int[] seeds = [0, 1, 2];
        var variants = new[]
        {
            Variant(Reference, seeds, Metrics(wa: reference, ua: [0.592, 0.578, 0.585], wf1: [0.600, 0.610, 0.620], mf1: [0.550, 0.560, 0.570])),
            Variant(Escaped, seeds, Metrics(wa: worse, ua: [0.551, 0.546, 0.560], wf1: [0.560, 0.565, 0.575], mf1: [0.585, 0.590, 0.600])),
            Variant(Overlap, seeds, Metrics(wa: close, ua: [0.601, 0.596, 0.606], wf1: [0.605, 0.598, 0.612], mf1: [0.535, 0.556, 0.559])),
            Variant(OtherSeeds, [0, 2], Metrics(wa: [0.590, 0.600], ua: [0.580, 0.590], wf1: [0.630, 0.640], mf1: [0.500, 0.520])) with { Failed = 1 },
            Variant(AllFailed, [], Metrics([], [], [], [])) with { Succeeded = 0, Failed = 3 },
        };
        return new GridResults(Grid(Reference, Name, seeds), variants);
    }

    private static Dictionary<GridMetric, double[]> Metrics(double[] wa, double[] ua, double[] wf1, double[] mf1) => new()
    {
        [GridMetric.WA] = wa, [GridMetric.UA] = ua, [GridMetric.WeightedF1] = wf1, [GridMetric.MacroF1] = mf1,
    };
}
