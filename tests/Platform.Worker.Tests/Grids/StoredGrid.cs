using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Data.Tests;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>Writes a grid's results into a throwaway PostgreSQL as the platform would have stored them.</summary>
public static class StoredGrid
{
    /// <summary>The grid as the platform stores it: one succeeded run per scored seed with test scores at its best epoch, failed runs on the other seeds.</summary>
    public static async Task<long> StoreAsync(ThrowawayPostgres postgres, GridResults results)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = postgres.NewContext();
        var corpus = new Corpus { Name = "iemocap-export-" + Guid.NewGuid().ToString("N")[..8], Format = "iemocap", SourcePath = "/nowhere", ContentHash = "-", ImportedAt = now };
        db.Corpora.Add(corpus);
        var grid = new Grid
        {
            Name = results.Grid.Name, Family = "bcaf", BaseSpecJson = "{}", AxesJson = "[]", Seeds = results.Grid.Seeds,
            ReferenceVariant = results.Grid.ReferenceVariant, CreatedAt = now,
        };
        db.Grids.Add(grid);
        await db.SaveChangesAsync();
        foreach (var variant in results.Variants)
        {
            var experiment = new Experiment { Name = variant.Variant, Family = "bcaf", CorpusId = corpus.Id, GridId = grid.Id, SpecJson = "{}", SpecHash = variant.Variant, CreatedAt = now };
            db.Experiments.Add(experiment);
            await db.SaveChangesAsync();
            var runs = variant.ScoredSeeds.Select(seed => (Seed: seed, Status: RunStatus.Succeeded))
                .Concat(grid.Seeds.Except(variant.ScoredSeeds).Take(variant.Failed).Select(seed => (Seed: seed, Status: RunStatus.Failed)))
                .Select(r => new Run
                {
                    ExperimentId = experiment.Id, GridId = grid.Id, Family = "bcaf", CorpusId = corpus.Id, Variant = variant.Variant, Seed = r.Seed,
                    Status = r.Status, Attempt = 1, QueuedAt = now, BestEpoch = r.Status == RunStatus.Succeeded ? 2 : null,
                }).ToList();
            db.Runs.AddRange(runs);
            await db.SaveChangesAsync();
            foreach (var (run, i) in runs.Where(r => r.Status == RunStatus.Succeeded).Select((r, i) => (r, i)))
                db.EpochMetrics.Add(new EpochMetric
                {
                    RunId = run.Id, Epoch = 2, Split = "test", WA = variant.Metrics[GridMetric.WA].Values[i], UA = variant.Metrics[GridMetric.UA].Values[i],
                    WeightedF1 = variant.Metrics[GridMetric.WeightedF1].Values[i], MacroF1 = variant.Metrics[GridMetric.MacroF1].Values[i],
                });
            await db.SaveChangesAsync();
        }
        return grid.Id;
    }
}
