using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries.Comparison;

/// <summary>
/// Which runs compare a grid's variants over seeds: its Succeeded runs (the others have nothing to
/// average), read through the (grid_id, id) index of runs.
/// </summary>
public sealed class GridVariantRunsQuery(EmotionLabDbContext db)
{
    /// <summary>The runs of the named variants (every variant when none is named), or null when no grid has this id.</summary>
    public async Task<GridVariantRuns?> ExecuteAsync(long gridId, IReadOnlyCollection<string> variants, CancellationToken cancellation = default)
    {
        var gridName = await db.Grids.AsNoTracking().Where(g => g.Id == gridId).Select(g => g.Name).SingleOrDefaultAsync(cancellation);
        if (gridName is null) return null;
        var runs = await db.Runs.AsNoTracking().Where(r => r.GridId == gridId)
            .Select(r => new { r.Id, r.Variant, r.Seed, r.Status }).ToListAsync(cancellation);
        // The grid's variants in the order they were created, as the grid page lists them.
        var all = runs.GroupBy(r => r.Variant).OrderBy(g => g.Min(r => r.Id)).Select(g => g.Key).ToList();
        var chosen = variants.Count == 0 ? all : all.Where(variants.Contains).ToList();
        var runIds = runs.Where(r => r.Status == RunStatus.Succeeded && chosen.Contains(r.Variant))
            .OrderBy(r => chosen.IndexOf(r.Variant)).ThenBy(r => r.Seed).ThenBy(r => r.Id).Select(r => r.Id).ToList();
        return new GridVariantRuns(gridId, gridName, all, variants.Where(v => !all.Contains(v)).Distinct().ToList(), runIds);
    }
}
