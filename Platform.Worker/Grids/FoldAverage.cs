using System.Text.Json;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// A leave-one-fold-out grid (an axis whose every value sets testFold, IEMOCAP's sessions) reported
/// as its papers report it: the folds of a variant become one row whose score for a seed is the mean
/// over the folds of that seed's runs. Mean ± std, deltas and t-tests then stay over seeds, as in
/// every other grid. A seed counts only when each fold has a test score for it; its runs of other
/// folds are already listed by status (failed, queued, ...).
/// </summary>
public static class FoldAverage
{
    public const string FoldField = "testFold";

    /// <summary>
    /// The results with their fold axis averaged out (the grid's axes and reference without it), and
    /// that axis's labels; the results as they are, and no labels, for any other grid.
    /// </summary>
    public static (GridResults Results, IReadOnlyList<string> Folds) Apply(GridResults results)
    {
        var axes = JsonSerializer.Deserialize<List<GridAxis>>(results.Grid.AxesJson, ExperimentSpecJson.Options) ?? [];
        var foldAxis = axes.FindIndex(a => a.Values.Count > 0 && a.Values.All(v => v.Settings.ContainsKey(FoldField)));
        if (foldAxis < 0) return (results, []);

        // Each full variant name (as GridExpansion names it) -> the name of its row without the fold.
        var rowOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var combination in GridExpansion.Combinations(axes))
        {
            var others = combination.Where((_, i) => i != foldAxis).ToList();
            rowOf[GridExpansion.VariantName(combination)] = others.Count > 0 ? GridExpansion.VariantName(others) : "mean over folds";
        }
        var folds = axes[foldAxis].Values.Count;
        var rows = results.Variants
            .GroupBy(v => rowOf.GetValueOrDefault(v.Variant, v.Variant))
            .Select(g => Average(g.Key, g.ToList(), folds))
            .ToList();
        // The grid as the table shows it: without the fold axis, so charts over its other axes still read the rows' names.
        var grid = results.Grid;
        var collapsed = new Grid
        {
            Id = grid.Id, Name = grid.Name, Family = grid.Family, BaseSpecJson = grid.BaseSpecJson, Seeds = grid.Seeds,
            AxesJson = JsonSerializer.Serialize(axes.Where((_, i) => i != foldAxis), ExperimentSpecJson.Options),
            ReferenceVariant = grid.ReferenceVariant is { } reference ? rowOf.GetValueOrDefault(reference, reference) : null, CreatedAt = grid.CreatedAt,
        };
        return (new GridResults(collapsed, rows), axes[foldAxis].Values.Select(v => v.Label).ToList());
    }

    private static VariantResults Average(string name, IReadOnlyList<VariantResults> foldRows, int folds)
    {
        // A seed's value in each fold (the first run, should a seed have been run twice in a fold).
        var perFold = foldRows.Select(f => f.ScoredSeeds.Select((seed, i) => (seed, i)).DistinctBy(x => x.seed).ToDictionary(x => x.seed, x => x.i)).ToList();
        var seeds = foldRows.Count < folds ? [] : perFold.Skip(1).Aggregate(perFold[0].Keys.ToHashSet(), (set, f) => { set.IntersectWith(f.Keys); return set; }).Order().ToArray();
        var metrics = Enum.GetValues<GridMetric>().ToDictionary(m => m, m =>
        {
            var values = seeds.Select(seed => foldRows.Select((f, k) => f.Metrics[m].Values[perFold[k][seed]]).Average()).ToArray();
            if (values.Length == 0) return new MetricOverSeeds(null, null, values);
            var summary = SeedSummary.Of(values);
            return new MetricOverSeeds(summary.Mean, double.IsNaN(summary.Std) ? null : summary.Std, values);
        });
        return new VariantResults
        {
            Variant = name,
            Queued = foldRows.Sum(f => f.Queued), Running = foldRows.Sum(f => f.Running), Succeeded = foldRows.Sum(f => f.Succeeded),
            Failed = foldRows.Sum(f => f.Failed), Canceled = foldRows.Sum(f => f.Canceled), Unscored = foldRows.Sum(f => f.Unscored),
            MissingSeeds = foldRows.SelectMany(f => f.MissingSeeds).Distinct().Order().ToArray(),
            ScoredSeeds = seeds,
            Metrics = metrics,
        };
    }
}
