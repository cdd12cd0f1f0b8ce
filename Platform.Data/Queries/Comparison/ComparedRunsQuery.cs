using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries.Comparison;

/// <summary>The runs of a comparison with their experiment's spec, grid and test weighted F1 at the best epoch; primary-key lookups.</summary>
public sealed class ComparedRunsQuery(EmotionLabDbContext db)
{
    public const string ScoredSplit = "test";

    public async Task<ComparedRuns> ExecuteAsync(IReadOnlyList<long> runIds, CancellationToken cancellation = default)
    {
        var ids = runIds.Distinct().ToArray();
        var runs = await (
                from r in db.Runs.AsNoTracking()
                where ids.Contains(r.Id)
                join e in db.Experiments on r.ExperimentId equals e.Id
                from g in db.Grids.Where(g => g.Id == r.GridId).DefaultIfEmpty()
                from b in db.EpochMetrics.Where(m => m.RunId == r.Id && m.Epoch == r.BestEpoch && m.Split == ScoredSplit).DefaultIfEmpty()
                select new ComparedRun
                {
                    Id = r.Id, ExperimentId = r.ExperimentId, ExperimentName = e.Name, Family = r.Family, CorpusId = r.CorpusId,
                    GridId = r.GridId, GridName = g == null ? null : g.Name, Variant = r.Variant, Seed = r.Seed, Status = r.Status,
                    BestEpoch = r.BestEpoch, SpecJson = e.SpecJson, TestWeightedF1AtBestEpoch = b == null ? null : b.WeightedF1,
                })
            .ToDictionaryAsync(r => r.Id, cancellation);
        return new ComparedRuns(ids.Where(runs.ContainsKey).Select(id => runs[id]).ToList(), ids.Where(id => !runs.ContainsKey(id)).ToList());
    }
}
