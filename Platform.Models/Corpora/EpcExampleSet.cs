namespace EmotionLab.Models.Corpora;

/// <summary>EPC examples with their counts and the majority-class baseline (majority taken on the training split).</summary>
public sealed class EpcExampleSet
{
    public EpcExampleSet(LabelSet labels, IReadOnlyList<EpcExample> examples, string trainSplit = "train")
    {
        Labels = labels;
        Examples = examples;
        var source = examples.Any(e => e.Target.Split == trainSplit) ? examples.Where(e => e.Target.Split == trainSplit) : examples;
        MajorityLabel = source.GroupBy(e => e.Label).OrderByDescending(g => g.Count()).ThenBy(g => labels.IndexOfLabel(g.Key)).Select(g => g.Key).FirstOrDefault();
    }

    public LabelSet Labels { get; }
    public IReadOnlyList<EpcExample> Examples { get; }
    public int Count => Examples.Count;

    /// <summary>The most frequent target label of the training examples (all examples when none are training); ties go to the earlier label.</summary>
    public string? MajorityLabel { get; }

    public IReadOnlyDictionary<string, int> CountPerSplit() =>
        Examples.GroupBy(e => e.Target.Split).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Accuracy (WA) of always predicting <see cref="MajorityLabel"/> on one split's examples.</summary>
    public double MajorityAccuracy(string split)
    {
        var items = Examples.Where(e => e.Target.Split == split).ToArray();
        return items.Length == 0 ? 0 : (double)items.Count(e => e.Label == MajorityLabel) / items.Length;
    }

    /// <summary>UAR of always predicting <see cref="MajorityLabel"/>: 1/C when that class occurs in the split, else 0 (every class of the set counted).</summary>
    public double MajorityUar(string split) =>
        Examples.Any(e => e.Target.Split == split && e.Label == MajorityLabel) ? 1.0 / Labels.Labels.Count : 0;
}
