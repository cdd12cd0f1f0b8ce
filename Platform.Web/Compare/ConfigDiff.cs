using EmotionLab.Data.Queries.Comparison;

namespace EmotionLab.Web.Compare;

/// <summary>
/// The fields in which the runs' specs differ, one value per run, by path in alphabetical order
/// (PostgreSQL's jsonb keeps no document order, and nested fields then sit together); a field one
/// spec lacks differs. The seed is each run's own (the experiment's spec is shared by its seeds),
/// so runs of one variant differ in the seed alone.
/// </summary>
public sealed record ConfigDiff(IReadOnlyList<ConfigDiffRow> Rows, int SameCount)
{
    public static ConfigDiff Of(IReadOnlyList<ComparedRun> runs)
    {
        var flattened = runs.Select(r => SpecPaths.OfRun(r.SpecJson, r.Seed)).ToList();
        var paths = flattened.SelectMany(f => f.Select(p => p.Key)).Distinct().Order(StringComparer.Ordinal).ToList();
        var specs = flattened.Select(f => f.ToDictionary(p => p.Key, p => p.Value)).ToList();
        var rows = new List<ConfigDiffRow>();
        foreach (var path in paths)
        {
            var values = specs.Select(s => s.GetValueOrDefault(path)).ToList();
            if (values.Distinct().Count() > 1) rows.Add(new ConfigDiffRow(path, values));
        }
        return new ConfigDiff(rows, paths.Count - rows.Count);
    }
}
