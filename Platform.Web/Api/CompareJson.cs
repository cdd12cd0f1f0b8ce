using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries.Comparison;
using EmotionLab.Web.Compare;

namespace EmotionLab.Web.Api;

/// <summary>
/// /api/compare: the runs compared with their curves and best-epoch test matrices, the unknown ids
/// and other problems, every class any matrix has (the F1 bars' categories) and the means over
/// seeds per variant.
/// </summary>
public sealed record CompareJson(
    IReadOnlyList<ComparedRunJson> Runs, IReadOnlyList<long> Missing, IReadOnlyList<string> Problems,
    IReadOnlyList<string> Classes, IReadOnlyList<VariantMeansJson> Variants)
{
    public static CompareJson From(LoadedComparison loaded, ComparisonCharts charts)
    {
        var variantNames = ComparisonNames.Variants(loaded.Runs);
        var runs = loaded.Runs.Select(r =>
        {
            var curves = charts.Curves.GetValueOrDefault(r.Id) ?? RunCurves.Empty;
            return new ComparedRunJson(
                r.Id, ComparisonNames.Run(r), r.ExperimentId, r.ExperimentName, r.GridId, r.Variant, variantNames[r.ExperimentId], r.Seed, r.Status,
                r.BestEpoch, r.TestWeightedF1AtBestEpoch, Points(curves.Loss), curves.LossStepsPerPoint, Points(curves.ValidationWeightedF1),
                charts.TestAtBestEpoch.GetValueOrDefault(r.Id) is { } m ? new BestEpochConfusionJson(m.Epoch, m.Labels, m.Counts, m.F1) : null);
        }).ToList();
        var classes = runs.SelectMany(r => r.Test?.Labels ?? []).Distinct().ToList();
        var variants = charts.Variants.Select(v => new VariantMeansJson(
            v.ExperimentId, variantNames[v.ExperimentId], v.RunIds, v.N, v.Labels, v.MeanRowNormalised, v.F1Mean, v.F1Std,
            charts.MeanValidationWeightedF1[v.ExperimentId].Select(p => new double?[] { p.Epoch, p.Mean, p.Std, p.N }).ToList())).ToList();
        return new CompareJson(runs, loaded.MissingIds, loaded.Problems, classes, variants);
    }

    private static List<double[]> Points(IReadOnlyList<CurvePoint> points) => points.Select(p => new[] { p.X, p.Y }).ToList();
}

/// <summary>
/// One compared run: name is its legend label, group the name of its variant (experiment) when
/// grouped by variant; loss is [step, loss] pairs (bucket means of lossStepsPerPoint steps),
/// validationWeightedF1 [epoch, value] pairs; test is null until it has a best epoch with a test matrix.
/// </summary>
public sealed record ComparedRunJson(
    long Id, string Name, long ExperimentId, string Experiment, long? Grid, string Variant, string Group, int Seed, RunStatus Status,
    int? BestEpoch, double? TestWeightedF1, IReadOnlyList<double[]> Loss, int LossStepsPerPoint, IReadOnlyList<double[]> ValidationWeightedF1,
    BestEpochConfusionJson? Test);

/// <summary>The test confusion matrix at the best epoch (row-major, rows true labels) and the per-class F1 derived from it.</summary>
public sealed record BestEpochConfusionJson(int Epoch, IReadOnlyList<string> Labels, IReadOnlyList<int> Counts, IReadOnlyList<double> F1);

/// <summary>
/// A variant's means over its n runs: the row-normalised matrices averaged (row-major), per-class
/// F1 mean and sample std (null for one run), and its validation weighted F1 per epoch as
/// [epoch, mean, std (null for one run), runs that reached the epoch].
/// </summary>
public sealed record VariantMeansJson(
    long ExperimentId, string Name, IReadOnlyList<long> RunIds, int N, IReadOnlyList<string> Labels,
    IReadOnlyList<double> MeanRowNormalised, IReadOnlyList<double> F1Mean, IReadOnlyList<double>? F1Std,
    IReadOnlyList<double?[]> ValidationWeightedF1);
