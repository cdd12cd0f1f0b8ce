namespace EmotionLab.Data.Queries.Comparison;

/// <summary>
/// Short names for legends and headers. A run is "#12 full · seed 3": its grid variant, or its
/// experiment outside a grid. A variant (an experiment) is its grid variant's name, or its
/// experiment's name when it has none or two compared experiments share it (two grids' "full").
/// </summary>
public static class ComparisonNames
{
    public static string Run(ComparedRun run) => $"#{run.Id} {(run.Variant.Length > 0 ? run.Variant : run.ExperimentName)} · seed {run.Seed}";

    /// <summary>Per experiment id of the runs, the name its variant goes by.</summary>
    public static IReadOnlyDictionary<long, string> Variants(IReadOnlyList<ComparedRun> runs)
    {
        var experiments = runs.DistinctBy(r => r.ExperimentId).ToList();
        var shared = experiments.GroupBy(r => r.Variant).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return experiments.ToDictionary(r => r.ExperimentId, r => r.Variant.Length > 0 && !shared.Contains(r.Variant) ? r.Variant : r.ExperimentName);
    }
}
