using EmotionLab.Models.Training;

namespace EmotionLab.Models.Statistics;

/// <summary>A two-sided confidence interval at <see cref="Level"/> (0.95: 95%).</summary>
public sealed record ConfidenceInterval(double Low, double High, double Level);

/// <summary>The four scores' bootstrap intervals, with what drew them.</summary>
public sealed record ScoreIntervals(ConfidenceInterval WA, ConfidenceInterval UA, ConfidenceInterval WeightedF1, ConfidenceInterval MacroF1, int Resamples, ulong Seed);

/// <summary>
/// Percentile bootstrap intervals of WA, UA, weighted and macro F1 over the test utterances: each
/// resample draws as many utterances as the test set has, with replacement (SplitMix64 from a
/// fixed seed, so the same seed gives the same resamples and intervals), scores it, and the
/// interval is the (1 - level) / 2 and (1 + level) / 2 percentiles of the scores (linear
/// interpolation, as numpy's percentile). For a variant over seeds each resample draws one set of
/// utterances, scores every seed's predictions of them and averages the seeds: an interval for
/// the variant's mean that keeps the test set's sampling error, which std over seeds leaves out.
/// </summary>
public static class BootstrapInterval
{
    public const int DefaultResamples = 1000;
    public const ulong DefaultSeed = 20261203;

    /// <param name="labels">the label set (every class counts, as in the stored scores)</param>
    /// <param name="truth">the test utterances' labels</param>
    /// <param name="predictions">per seed, its predicted labels of the same utterances in the same order (-1: unparsed)</param>
    public static ScoreIntervals Percentile(IReadOnlyList<string> labels, IReadOnlyList<long> truth, IReadOnlyList<IReadOnlyList<long>> predictions,
        int resamples = DefaultResamples, ulong seed = DefaultSeed, double level = 0.95)
    {
        if (truth.Count == 0) throw new ArgumentException("no test utterances to resample", nameof(truth));
        if (predictions.Count == 0) throw new ArgumentException("no predictions to score", nameof(predictions));
        if (predictions.FirstOrDefault(p => p.Count != truth.Count) is { } mismatched)
            throw new ArgumentException($"predictions of {mismatched.Count} utterances for a test set of {truth.Count}", nameof(predictions));
        if (resamples < 2) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "a bootstrap needs resamples");
        if (level is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(level), level, "the level is a fraction, e.g. 0.95");

        var scores = new double[4][];
        for (var m = 0; m < 4; m++) scores[m] = new double[resamples];
        var random = new SplitMix64(seed);
        var drawn = new int[truth.Count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < drawn.Length; i++) drawn[i] = random.NextIndex(truth.Count);
            foreach (var predicted in predictions)
            {
                var matrix = new ConfusionMatrix(labels);
                foreach (var i in drawn) matrix.Add((int)truth[i], (int)predicted[i]);
                scores[0][r] += matrix.Accuracy() / predictions.Count;
                scores[1][r] += matrix.UnweightedAccuracy() / predictions.Count;
                scores[2][r] += matrix.WeightedF1() / predictions.Count;
                scores[3][r] += matrix.MacroF1() / predictions.Count;
            }
        }
        var interval = scores.Select(s => Interval(s, level)).ToArray();
        return new ScoreIntervals(interval[0], interval[1], interval[2], interval[3], resamples, seed);
    }

    private static ConfidenceInterval Interval(double[] scores, double level)
    {
        Array.Sort(scores);
        return new ConfidenceInterval(Quantile(scores, (1 - level) / 2), Quantile(scores, (1 + level) / 2), level);
    }

    // numpy.percentile's default ("linear"): position (n - 1) q between the two nearest order statistics.
    private static double Quantile(double[] sorted, double q)
    {
        var position = (sorted.Length - 1) * q;
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
