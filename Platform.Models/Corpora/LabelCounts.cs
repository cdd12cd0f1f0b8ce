using System.Text;

namespace EmotionLab.Models.Corpora;

/// <summary>A table group (split or fold) -> canonical label -> count, every label present (zeros included), in label-set order.</summary>
public sealed class LabelCounts
{
    private readonly Dictionary<string, Dictionary<string, int>> table;

    internal LabelCounts(LabelSet labelSet, IReadOnlyList<string> groups, Dictionary<string, Dictionary<string, int>> table)
    {
        LabelSet = labelSet;
        Groups = groups;
        this.table = table;
    }

    public LabelSet LabelSet { get; }

    /// <summary>Row names (splits or folds) in first-appearance order.</summary>
    public IReadOnlyList<string> Groups { get; }

    public int this[string group, string label] =>
        table.TryGetValue(group, out var row) && row.TryGetValue(label, out var n) ? n : 0;

    /// <summary>Counted items of one group (dropped labels excluded).</summary>
    public int Total(string group) => table.TryGetValue(group, out var row) ? row.Values.Sum() : 0;

    public int Total() => Groups.Sum(Total);

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ToDictionary() =>
        Groups.ToDictionary(g => g, g => (IReadOnlyDictionary<string, int>)LabelSet.Labels.ToDictionary(l => l, l => this[g, l]));

    /// <summary>A plain-text table for the CLI: one row per group, one column per label, a total column.</summary>
    public string Format()
    {
        var width = Math.Max(6, LabelSet.Labels.Max(l => l.Length) + 1);
        var first = Math.Max(8, Groups.Select(g => g.Length).DefaultIfEmpty(0).Max() + 1);
        var sb = new StringBuilder();
        sb.Append(LabelSet.Name.PadRight(first));
        foreach (var l in LabelSet.Labels) sb.Append(l.PadLeft(width));
        sb.Append("total".PadLeft(width)).AppendLine();
        foreach (var g in Groups)
        {
            sb.Append(g.PadRight(first));
            foreach (var l in LabelSet.Labels) sb.Append(this[g, l].ToString().PadLeft(width));
            sb.Append(Total(g).ToString().PadLeft(width)).AppendLine();
        }
        return sb.ToString();
    }
}
