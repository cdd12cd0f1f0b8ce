namespace EmotionLab.Models.Corpora;

/// <summary>
/// A label set as data: ordered canonical labels (the index order of an experiment), a map from
/// raw annotation strings to canonical labels, and drop for every raw label not in the map.
/// </summary>
public sealed class LabelSet
{
    public LabelSet(string name, IReadOnlyList<string> labels, IReadOnlyDictionary<string, string> map, LabelSource source = LabelSource.Emotion)
    {
        var unknown = map.Values.Where(v => !labels.Contains(v)).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"label set {name} maps to labels it does not list: {string.Join(", ", unknown)}");
        Name = name;
        Labels = labels;
        Map = map;
        Source = source;
    }

    public string Name { get; }
    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyDictionary<string, string> Map { get; }
    public LabelSource Source { get; }

    /// <summary>The canonical label of an utterance, or null when its raw label is dropped by this set.</summary>
    public string? Canonical(Utterance u)
    {
        var raw = Source == LabelSource.Emotion ? u.RawLabel : u.RawSentiment;
        return raw is not null && Map.TryGetValue(raw, out var label) ? label : null;
    }

    /// <summary>Class index in <see cref="Labels"/> order, or -1 when dropped.</summary>
    public int IndexOf(Utterance u) => Canonical(u) is { } l ? IndexOfLabel(l) : -1;

    public int IndexOfLabel(string label)
    {
        for (var i = 0; i < Labels.Count; i++)
            if (Labels[i] == label) return i;
        return -1;
    }

    public LabelCounts CountsPerSplit(IEnumerable<Utterance> utterances) => Count(utterances, u => u.Split);

    /// <summary>Per fold ("1".."5" for IEMOCAP sessions); utterances without a fold are left out.</summary>
    public LabelCounts CountsPerFold(IEnumerable<Utterance> utterances) =>
        Count(utterances.Where(u => u.Fold is not null), u => u.Fold!.Value.ToString());

    private LabelCounts Count(IEnumerable<Utterance> utterances, Func<Utterance, string> group)
    {
        var groups = new List<string>();
        var table = new Dictionary<string, Dictionary<string, int>>();
        foreach (var u in utterances)
        {
            var g = group(u);
            if (!table.TryGetValue(g, out var row))
            {
                table[g] = row = Labels.ToDictionary(l => l, _ => 0);
                groups.Add(g);
            }
            if (Canonical(u) is { } label) row[label]++;
        }
        return new LabelCounts(this, groups, table);
    }

    public override string ToString() => Name;
}
