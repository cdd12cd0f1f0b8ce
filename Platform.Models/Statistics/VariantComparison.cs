using EmotionLab.Models.Experiments;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Statistics;

/// <summary>One seed's paired test: McNemar on the shared utterances, and which utterances flip.</summary>
public sealed record SeedComparison(int Seed, McNemarResult McNemar, IReadOnlyList<Flip> Flips, double WeightedF1A, double WeightedF1B);

/// <summary>An utterance one variant gets right and the other wrong, on one seed.</summary>
public sealed record Flip(int Seed, string Key, string Truth, string? PredictedA, string? PredictedB)
{
    public bool RightInA => PredictedA == Truth;
}

/// <summary>
/// Variant A against variant B on the same test utterances and seeds, from their runs' stored
/// best-epoch predictions: McNemar per seed and combined over seeds (Fisher's method), the flips,
/// bootstrap intervals of each variant's mean over its seeds, and the weighted F1 differences
/// paired over seeds with their t-test and the seeds a paired t-test needs to detect them.
/// Utterances are matched by key; only keys both runs of a seed predicted are compared.
/// </summary>
public sealed record VariantComparison(
    IReadOnlyList<SeedComparison> Seeds, double CombinedP, ScoreIntervals IntervalsA, ScoreIntervals IntervalsB,
    double MeanDifference, double StdDifference, TTestResult PairedT, int? SeedsNeeded)
{
    /// <param name="runs">per seed, the test predictions of A's run and B's run</param>
    public static VariantComparison Compare(IReadOnlyList<(int Seed, PredictionRows A, PredictionRows B)> runs,
        int resamples = BootstrapInterval.DefaultResamples, ulong bootstrapSeed = BootstrapInterval.DefaultSeed)
    {
        if (runs.Count == 0) throw new ArgumentException("no seed has a finished run of both variants", nameof(runs));
        var labels = runs[0].A.Labels;
        if (runs.SelectMany(r => new[] { r.A, r.B }).FirstOrDefault(p => !p.Labels.SequenceEqual(labels)) is { } other)
            throw new ArgumentException($"{other.Path} has the labels {string.Join(",", other.Labels)}, not {string.Join(",", labels)}: the variants were not scored on one label set");

        // The utterances every run predicted, in the first run's order: the bootstrap resamples them.
        var shared = runs.SelectMany(r => new[] { r.A, r.B }).Select(p => p.Keys.ToHashSet())
            .Aggregate((a, b) => { a.IntersectWith(b); return a; });
        var keys = runs[0].A.Keys.Where(shared.Contains).ToArray();
        if (keys.Length == 0) throw new ArgumentException("the runs' predictions share no utterance key");

        var seeds = new List<SeedComparison>();
        var (predictionsA, predictionsB) = (new List<IReadOnlyList<long>>(), new List<IReadOnlyList<long>>());
        long[]? truth = null;
        foreach (var (seed, a, b) in runs)
        {
            var (rowsA, rowsB) = (Index(a), Index(b));
            truth ??= keys.Select(k => (long)IndexOf(labels, rowsA[k].Truth)).ToArray();
            var (rightA, rightB) = (keys.Select(k => rowsA[k].Predicted == rowsA[k].Truth).ToArray(), keys.Select(k => rowsB[k].Predicted == rowsB[k].Truth).ToArray());
            var flips = keys.Where((_, i) => rightA[i] != rightB[i]).Select(k => new Flip(seed, k, rowsA[k].Truth, rowsA[k].Predicted, rowsB[k].Predicted)).ToList();
            var (labelsA, labelsB) = (keys.Select(k => Label(labels, rowsA[k].Predicted)).ToArray(), keys.Select(k => Label(labels, rowsB[k].Predicted)).ToArray());
            predictionsA.Add(labelsA);
            predictionsB.Add(labelsB);
            seeds.Add(new SeedComparison(seed, McNemarTest.Exact(rightA, rightB), flips, WeightedF1(labels, truth, labelsA), WeightedF1(labels, truth, labelsB)));
        }

        var differences = seeds.Select(s => s.WeightedF1A - s.WeightedF1B).ToArray();
        var summary = SeedSummary.Of(differences);
        return new VariantComparison(
            seeds, McNemarTest.FisherCombined(seeds.Select(s => s.McNemar.P).ToArray()),
            BootstrapInterval.Percentile(labels, truth!, predictionsA, resamples, bootstrapSeed),
            BootstrapInterval.Percentile(labels, truth!, predictionsB, resamples, bootstrapSeed),
            summary.Mean, summary.Std, SeedStatistics.Paired(seeds.Select(s => s.WeightedF1A).ToArray(), seeds.Select(s => s.WeightedF1B).ToArray()),
            differences.Length > 1 ? PairedTTestPower.SeedsNeeded(summary.Mean, summary.Std) : null);
    }

    private static Dictionary<string, (string Truth, string? Predicted)> Index(PredictionRows rows) =>
        rows.Keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => (rows.Truth[x.i], rows.Predicted[x.i]));

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++)
            if (labels[i] == label) return i;
        throw new ArgumentException($"label '{label}' is not in the label set {string.Join(",", labels)}");
    }

    private static long Label(IReadOnlyList<string> labels, string? predicted) => predicted is null ? ConfusionMatrix.Unparsed : IndexOf(labels, predicted);

    private static double WeightedF1(IReadOnlyList<string> labels, long[] truth, long[] predicted)
    {
        var matrix = new ConfusionMatrix(labels);
        for (var i = 0; i < truth.Length; i++) matrix.Add((int)truth[i], (int)predicted[i]);
        return matrix.WeightedF1();
    }
}
