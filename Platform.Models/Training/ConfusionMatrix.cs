namespace EmotionLab.Models.Training;

/// <summary>
/// Counts of (true label, predicted label) over a label set; every score the platform reports
/// comes from it (CORPORA.md): WA = accuracy, UA = mean per-class recall, weighted F1 (by
/// support), macro F1 over every class of the set. A class with no predictions or no support
/// scores 0, as scikit-learn's zero_division=0. An LLM's answer that names no label
/// (<see cref="Unparsed"/>) counts in its true class's support and in no prediction column: it is
/// wrong for accuracy and recall and in no class's precision, as scikit-learn scores a prediction
/// outside labels=.
/// </summary>
public sealed class ConfusionMatrix
{
    /// <summary>The prediction of an answer that maps to no label.</summary>
    public const int Unparsed = -1;

    private readonly long[] counts;
    private readonly long[] unparsed;

    public ConfusionMatrix(IReadOnlyList<string> labels)
    {
        if (labels.Count == 0) throw new ArgumentException("a confusion matrix needs at least one label", nameof(labels));
        Labels = labels;
        counts = new long[labels.Count * labels.Count];
        unparsed = new long[labels.Count];
    }

    public IReadOnlyList<string> Labels { get; }

    public int Size => Labels.Count;

    /// <summary>Items whose truth is row and prediction is column.</summary>
    public long this[int truth, int predicted] => counts[truth * Size + predicted];

    public long Total => counts.Sum() + unparsed.Sum();

    /// <summary>Items whose answer mapped to no label.</summary>
    public long UnparsedTotal => unparsed.Sum();

    /// <summary>Row-major counts (truth rows, prediction columns), as stored in the database.</summary>
    public long[] RowMajorCounts() => (long[])counts.Clone();

    /// <summary>Unparsed answers per true label.</summary>
    public long[] UnparsedCounts() => (long[])unparsed.Clone();

    /// <param name="predicted">a label index, or <see cref="Unparsed"/></param>
    public void Add(int truth, int predicted)
    {
        if ((uint)truth >= (uint)Size || ((uint)predicted >= (uint)Size && predicted != Unparsed))
            throw new ArgumentOutOfRangeException(nameof(truth), $"label indexes must be in 0..{Size - 1}, got truth {truth}, prediction {predicted}");
        if (predicted == Unparsed) unparsed[truth]++;
        else counts[truth * Size + predicted]++;
    }

    public void Add(ReadOnlySpan<long> truth, ReadOnlySpan<long> predicted)
    {
        if (truth.Length != predicted.Length) throw new ArgumentException($"{truth.Length} true labels but {predicted.Length} predictions");
        for (var i = 0; i < truth.Length; i++) Add(checked((int)truth[i]), checked((int)predicted[i]));
    }

    public long Support(int label)
    {
        var sum = unparsed[label];
        for (var p = 0; p < Size; p++) sum += this[label, p];
        return sum;
    }

    public long Predicted(int label)
    {
        long sum = 0;
        for (var t = 0; t < Size; t++) sum += this[t, label];
        return sum;
    }

    public double Precision(int label) => Ratio(this[label, label], Predicted(label));

    public double Recall(int label) => Ratio(this[label, label], Support(label));

    public double F1(int label)
    {
        var (p, r) = (Precision(label), Recall(label));
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>WA: the share of items predicted correctly.</summary>
    public double Accuracy()
    {
        long correct = 0;
        for (var c = 0; c < Size; c++) correct += this[c, c];
        return Ratio(correct, Total);
    }

    /// <summary>UA (UAR): the mean recall over every class of the label set.</summary>
    public double UnweightedAccuracy() => Enumerable.Range(0, Size).Average(Recall);

    public double MacroF1() => Enumerable.Range(0, Size).Average(F1);

    public double WeightedF1()
    {
        var total = Total;
        return total == 0 ? 0 : Enumerable.Range(0, Size).Sum(c => F1(c) * Support(c)) / total;
    }

    /// <summary>All scores at once, for storing one epoch on one split.</summary>
    public ClassificationScores Scores() => new(
        Accuracy(), UnweightedAccuracy(), WeightedF1(), MacroF1(),
        Enumerable.Range(0, Size).Select(Precision).ToArray(),
        Enumerable.Range(0, Size).Select(Recall).ToArray(),
        Enumerable.Range(0, Size).Select(F1).ToArray());

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}

/// <summary>The scores of one confusion matrix; per-class arrays follow the label set's order.</summary>
public sealed record ClassificationScores(double WA, double UA, double WeightedF1, double MacroF1, double[] Precision, double[] Recall, double[] F1);
