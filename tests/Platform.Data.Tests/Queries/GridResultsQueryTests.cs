using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;

namespace EmotionLab.Data.Tests.Queries;

[Collection(nameof(ThrowawayPostgres))]
public sealed class GridResultsQueryTests(ThrowawayPostgres postgres)
{
    private const int BestEpoch = 2;

    /// <summary>Test scores a run stores at its best epoch; other epochs get decoys that must not be picked.</summary>
    private sealed record Scores(double WA, double UA, double WeightedF1, double MacroF1);

    private sealed record PlannedRun(string Variant, int Seed, RunStatus Status, Scores? Test, int? BestEpoch = BestEpoch);

    private static Scores S(double wa, double ua, double wf1, double mf1) => new(wa, ua, wf1, mf1);

    // full: five seeds succeed. w/o ICN: three succeed; a failed run has scores at its best epoch
    // (it crashed late) and a canceled one too: both must be counted, not averaged. w/o BAN: one
    // scored, one succeeded without a best epoch, one running, one queued, seed 5 never created.
    private static readonly PlannedRun[] Plan =
    [
        new("full", 1, RunStatus.Succeeded, S(0.71, 0.66, 0.70, 0.64)),
        new("full", 2, RunStatus.Succeeded, S(0.69, 0.65, 0.68, 0.61)),
        new("full", 3, RunStatus.Succeeded, S(0.74, 0.70, 0.73, 0.66)),
        new("full", 4, RunStatus.Succeeded, S(0.70, 0.64, 0.69, 0.63)),
        new("full", 5, RunStatus.Succeeded, S(0.72, 0.67, 0.71, 0.65)),
        new("w/o ICN", 1, RunStatus.Succeeded, S(0.66, 0.60, 0.65, 0.58)),
        new("w/o ICN", 2, RunStatus.Succeeded, S(0.64, 0.61, 0.63, 0.57)),
        new("w/o ICN", 3, RunStatus.Succeeded, S(0.67, 0.63, 0.66, 0.60)),
        new("w/o ICN", 4, RunStatus.Failed, S(0.10, 0.10, 0.10, 0.10)),
        new("w/o ICN", 5, RunStatus.Canceled, S(0.99, 0.99, 0.99, 0.99)),
        new("w/o BAN", 1, RunStatus.Succeeded, S(0.60, 0.55, 0.59, 0.52)),
        new("w/o BAN", 2, RunStatus.Succeeded, null, BestEpoch: null),
        new("w/o BAN", 3, RunStatus.Running, S(0.50, 0.50, 0.50, 0.50)),
        new("w/o BAN", 4, RunStatus.Queued, null, BestEpoch: null),
    ];

    private async Task<long> NewCorpusAsync(EmotionLabDbContext db)
    {
        var corpus = new Corpus { Name = "grid-" + Guid.NewGuid().ToString("N"), Format = "iemocap", SourcePath = "/data", ContentHash = "h", ImportedAt = DateTimeOffset.UtcNow };
        db.Corpora.Add(corpus);
        await db.SaveChangesAsync();
        return corpus.Id;
    }

    private static Grid NewGrid(string name) => new()
    {
        Name = name, Family = "bcaf", BaseSpecJson = "{}", AxesJson = "[]", Seeds = [1, 2, 3, 4, 5], ReferenceVariant = "full", CreatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>Stores the planned runs of one grid with three epochs of metrics each; returns the grid id.</summary>
    private async Task<long> WriteGridAsync(EmotionLabDbContext db, long corpusId, string name, IEnumerable<PlannedRun> plan)
    {
        var grid = NewGrid(name);
        db.Grids.Add(grid);
        await db.SaveChangesAsync();
        var experiments = new Dictionary<string, Experiment>();
        foreach (var planned in plan)
        {
            if (!experiments.TryGetValue(planned.Variant, out var experiment))
            {
                experiment = new Experiment { Name = $"{name}: {planned.Variant}", Family = "bcaf", CorpusId = corpusId, SpecJson = "{}", SpecHash = planned.Variant, GridId = grid.Id };
                db.Experiments.Add(experiment);
                await db.SaveChangesAsync();
                experiments[planned.Variant] = experiment;
            }
            var run = new Run
            {
                ExperimentId = experiment.Id, GridId = grid.Id, Family = "bcaf", CorpusId = corpusId, Variant = planned.Variant, Seed = planned.Seed,
                Status = planned.Status, BestEpoch = planned.BestEpoch, Attempt = 1,
            };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            if (planned.Test is not { } test) continue;
            for (var epoch = 1; epoch <= 3; epoch++)
            {
                var decoy = epoch == BestEpoch ? 0 : 0.2 * epoch;
                db.EpochMetrics.Add(new EpochMetric { RunId = run.Id, Epoch = epoch, Split = "test", WA = test.WA + decoy, UA = test.UA + decoy, WeightedF1 = test.WeightedF1 + decoy, MacroF1 = test.MacroF1 + decoy });
                // Validation scores at the best epoch differ from test: a query reading the wrong split shows.
                db.EpochMetrics.Add(new EpochMetric { RunId = run.Id, Epoch = epoch, Split = "validation", WA = 0.3, UA = 0.3, WeightedF1 = 0.3, MacroF1 = 0.3 });
            }
            await db.SaveChangesAsync();
        }
        return grid.Id;
    }

    private static double Mean(IReadOnlyList<double> values) => values.Sum() / values.Count;

    private static double SampleStd(IReadOnlyList<double> values)
    {
        var mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static double Pick(Scores s, GridMetric metric) => metric switch
    {
        GridMetric.WA => s.WA,
        GridMetric.UA => s.UA,
        GridMetric.WeightedF1 => s.WeightedF1,
        _ => s.MacroF1,
    };

    [Fact]
    public async Task Means_and_sample_stds_come_from_succeeded_runs_at_their_best_epoch_and_other_runs_are_counted()
    {
        await using var db = postgres.NewContext();
        var corpusId = await NewCorpusAsync(db);
        var gridId = await WriteGridAsync(db, corpusId, "ablation", Plan);
        // Another grid with the same variant names must not leak into this one.
        await WriteGridAsync(db, corpusId, "other", [new("full", 1, RunStatus.Succeeded, S(0.01, 0.01, 0.01, 0.01))]);

        var results = await new GridResultsQuery(db).ExecuteAsync(gridId);

        Assert.NotNull(results);
        Assert.Equal("ablation", results.Grid.Name);
        Assert.Equal(["full", "w/o ICN", "w/o BAN"], results.Variants.Select(v => v.Variant));
        foreach (var variant in results.Variants)
        {
            var scored = Plan.Where(p => p.Variant == variant.Variant && p.Status == RunStatus.Succeeded && p.Test is not null).ToList();
            Assert.Equal(scored.Select(p => p.Seed), variant.ScoredSeeds);
            foreach (var metric in Enum.GetValues<GridMetric>())
            {
                var expected = scored.Select(p => Pick(p.Test!, metric)).ToList();
                var actual = variant.Metrics[metric];
                Assert.Equal(expected, actual.Values);
                Assert.Equal(Mean(expected), actual.Mean!.Value, 12);
                if (expected.Count > 1) Assert.Equal(SampleStd(expected), actual.Std!.Value, 12);
                else Assert.Null(actual.Std);
            }
        }

        var full = results.Variants[0];
        Assert.Equal((5, 0, 0, 0, 0, 0), (full.Succeeded, full.Failed, full.Canceled, full.Queued, full.Running, full.Unscored));
        Assert.Empty(full.MissingSeeds);
        Assert.Equal(0, full.Excluded);

        var withoutIcn = results.Variants[1];
        Assert.Equal((3, 1, 1, 3), (withoutIcn.Succeeded, withoutIcn.Failed, withoutIcn.Canceled, withoutIcn.N));
        Assert.Equal(2, withoutIcn.Excluded);
        Assert.False(withoutIcn.IsUnfinished);

        var withoutBan = results.Variants[2];
        Assert.Equal((2, 1, 1, 1, 1), (withoutBan.Succeeded, withoutBan.Unscored, withoutBan.Running, withoutBan.Queued, withoutBan.N));
        Assert.Equal([5], withoutBan.MissingSeeds);
        Assert.Equal(4, withoutBan.Excluded);
        Assert.True(withoutBan.IsUnfinished);
        Assert.True(results.AnyUnfinished);
    }

    [Fact]
    public async Task A_grid_without_runs_has_no_variants_and_an_unknown_grid_is_null()
    {
        await using var db = postgres.NewContext();
        var grid = NewGrid("empty");
        db.Grids.Add(grid);
        await db.SaveChangesAsync();

        var results = await new GridResultsQuery(db).ExecuteAsync(grid.Id);
        Assert.NotNull(results);
        Assert.Empty(results.Variants);
        Assert.False(results.AnyUnfinished);
        Assert.Null(await new GridResultsQuery(db).ExecuteAsync(grid.Id + 1_000_000));
    }

    [Fact]
    public async Task Grid_list_counts_variants_seeds_and_runs_by_status()
    {
        await using var db = postgres.NewContext();
        var corpusId = await NewCorpusAsync(db);
        var gridId = await WriteGridAsync(db, corpusId, "listed", Plan);

        var item = Assert.Single(await new GridListQuery(db).ExecuteAsync(), g => g.Id == gridId);
        Assert.Equal(("listed", "bcaf", 3, 5, Plan.Length), (item.Name, item.Family, item.Variants, item.Seeds, item.Runs));
        Assert.Equal((Plan.Count(p => p.Status == RunStatus.Succeeded), 1, 2), (item.Succeeded, item.Failed, item.Active));
    }
}
