using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Experiments;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Worker.Queue;

/// <summary>What a submission stored: the grid (if any), its experiments and their runs, or the problems that stopped it.</summary>
public sealed record SubmissionResult(long? GridId, IReadOnlyList<long> ExperimentIds, IReadOnlyList<long> RunIds, IReadOnlyList<SpecProblem> Problems)
{
    public bool Succeeded => Problems.Count == 0;

    public static SubmissionResult Rejected(IReadOnlyList<SpecProblem> problems) => new(null, [], [], problems);
}

/// <summary>
/// Stores an experiment (one spec, one run per seed) or a grid (a base spec and axes, one
/// experiment per variant) with its runs Queued, then puts every run on the queue. Used by the
/// web form, `submit` and the demo. Specs are validated first, the corpus must be imported, and
/// with <see cref="SubmissionResources"/> the model folders must open and the run fit in memory;
/// when anything is wrong nothing is stored and every problem comes back with its field.
/// </summary>
public sealed class ExperimentSubmission(PlatformDatabase database, RunQueue queue, SubmissionResources? resources = null)
{
    /// <param name="ownerId">The account that queues it (null from a node's own CLI): its owner and admins may change it.</param>
    /// <param name="project">The project it goes into, made if the lab has none of that name yet (null or blank: none).</param>
    public Task<SubmissionResult> SubmitExperimentAsync(string name, ExperimentSpec spec, IReadOnlyList<int> seeds, CancellationToken cancellation = default,
        long? ownerId = null, string? project = null)
    {
        var problems = ExperimentSpecValidator.Validate(spec).ToList();
        return problems.Count > 0
            ? Task.FromResult(SubmissionResult.Rejected(problems))
            : StoreAsync(name, grid: null, [new GridVariant("", spec)], seeds, ownerId, project, cancellation);
    }

    public Task<SubmissionResult> SubmitGridAsync(string name, ExperimentSpec baseSpec, IReadOnlyList<GridAxis> axes, IReadOnlyList<int> seeds,
        string? referenceVariant, CancellationToken cancellation = default, long? ownerId = null, string? project = null)
    {
        var (variants, problems) = GridExpansion.Expand(baseSpec, axes);
        if (problems.Count > 0) return Task.FromResult(SubmissionResult.Rejected(problems));
        if (referenceVariant is not null && variants.All(v => v.Name != referenceVariant))
            return Task.FromResult(SubmissionResult.Rejected([new SpecProblem("reference", $"the grid has no variant '{referenceVariant}'")]));
        var grid = new Grid
        {
            Name = name, Family = baseSpec.Family, BaseSpecJson = ExperimentSpecJson.Serialize(baseSpec),
            AxesJson = System.Text.Json.JsonSerializer.Serialize(axes, ExperimentSpecJson.Options), Seeds = seeds.ToArray(),
            ReferenceVariant = referenceVariant ?? variants[0].Name, OwnerId = ownerId, CreatedAt = DateTimeOffset.UtcNow,
        };
        return StoreAsync(name, grid, variants, seeds, ownerId, project, cancellation);
    }

    /// <summary>
    /// Re-runs a grid with <paramref name="more"/> further seeds (after its highest): one new run per
    /// variant and seed, stored then queued; the grid's seed list grows with them.
    /// </summary>
    /// <param name="actorId">The account that adds them, recorded on each new run's history.</param>
    public async Task<SubmissionResult> AddSeedsAsync(long gridId, int more, CancellationToken cancellation = default, long? actorId = null)
    {
        if (more is < 1 or > 100) return SubmissionResult.Rejected([new SpecProblem("seeds", $"add between 1 and 100 seeds, not {more}")]);
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(database.ConnectionString));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        // Locked, so two clicks cannot add the same seed twice.
        var grid = await db.Grids.FromSqlInterpolated($"SELECT * FROM grids WHERE id = {gridId} FOR UPDATE").SingleOrDefaultAsync(cancellation);
        if (grid is null) return SubmissionResult.Rejected([new SpecProblem("grid", $"there is no grid {gridId}")]);
        var experiments = await db.Experiments.Where(e => e.GridId == gridId).OrderBy(e => e.Id).ToListAsync(cancellation);
        var variants = await db.Runs.Where(r => r.GridId == gridId).Select(r => new { r.ExperimentId, r.Variant }).Distinct().ToDictionaryAsync(r => r.ExperimentId, r => r.Variant, cancellation);
        var first = grid.Seeds.Length == 0 ? 0 : grid.Seeds.Max() + 1;
        var seeds = Enumerable.Range(first, more).ToArray();
        var now = DateTimeOffset.UtcNow;
        var runs = new List<Run>();
        foreach (var experiment in experiments)
        {
            var spec = ExperimentSpecJson.Parse(experiment.SpecJson).Spec
                       ?? throw new InvalidOperationException($"experiment {experiment.Id} of grid {gridId} has a spec that no longer parses");
            foreach (var seed in seeds)
            {
                var run = new Run
                {
                    ExperimentId = experiment.Id, GridId = gridId, Family = experiment.Family, CorpusId = experiment.CorpusId, Variant = variants.GetValueOrDefault(experiment.Id) ?? "",
                    Seed = seed, Status = RunStatus.Queued, QueuedAt = now, SpecHash = ExperimentSpecJson.Hash(spec with { Seed = seed }),
                };
                runs.Add(run);
                db.Runs.Add(run);
            }
        }
        grid.Seeds = [.. grid.Seeds, .. seeds];
        await db.SaveChangesAsync(cancellation);
        // Who queued each run, on its history.
        db.RunActions.AddRange(runs.Select(r => new RunAction { RunId = r.Id, Action = RunAction.Queued, UserId = actorId, At = now }));
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        foreach (var run in runs) await queue.EnqueueAsync(run.Id, cancellation);
        return new SubmissionResult(gridId, experiments.Select(e => e.Id).ToList(), runs.Select(r => r.Id).ToList(), []);
    }

    // A held-out fold must be one of the corpus's folds, or every run of the variant would fail at setup.
    private static async Task<IReadOnlyList<SpecProblem>> FoldProblemsAsync(EmotionLabDbContext db, IReadOnlyList<GridVariant> variants,
        IReadOnlyDictionary<string, long> corpora, CancellationToken cancellation)
    {
        var problems = new List<SpecProblem>();
        var folded = variants.Where(v => v.Spec.TestFold is not null).ToList();
        if (folded.Count == 0) return problems;
        var ids = folded.Select(v => corpora[v.Spec.Corpus]).Distinct().ToList();
        var folds = (await db.Dialogues.Where(d => ids.Contains(d.CorpusId) && d.Fold != null).Select(d => new { d.CorpusId, Fold = d.Fold!.Value }).Distinct().ToListAsync(cancellation))
            .ToLookup(f => f.CorpusId, f => f.Fold);
        foreach (var variant in folded)
        {
            var present = folds[corpora[variant.Spec.Corpus]].Order().ToList();
            if (present.Contains(variant.Spec.TestFold!.Value)) continue;
            var prefix = variant.Name.Length > 0 ? $"variant '{variant.Name}': " : "";
            problems.Add(new SpecProblem("testFold", prefix + (present.Count == 0
                ? $"corpus '{variant.Spec.Corpus}' has no folds; leave testFold empty to use its own split, or choose a corpus with folds (IEMOCAP)"
                : $"corpus '{variant.Spec.Corpus}' has no fold {variant.Spec.TestFold}; its folds are {string.Join(", ", present)}")));
        }
        return problems;
    }

    private async Task<SubmissionResult> StoreAsync(string name, Grid? grid, IReadOnlyList<GridVariant> variants, IReadOnlyList<int> seeds, long? ownerId,
        string? project, CancellationToken cancellation)
    {
        if (seeds.Count == 0) return SubmissionResult.Rejected([new SpecProblem("seeds", "give at least one seed")]);
        if (seeds.Distinct().Count() != seeds.Count) return SubmissionResult.Rejected([new SpecProblem("seeds", "each seed may appear once")]);
        if (string.IsNullOrWhiteSpace(name)) return SubmissionResult.Rejected([new SpecProblem("name", "give the experiment a name")]);
        project = string.IsNullOrWhiteSpace(project) ? null : project.Trim();
        if (project is { Length: > Project.MaxNameLength })
            return SubmissionResult.Rejected([new SpecProblem("project", $"a project name has at most {Project.MaxNameLength} characters, not {project.Length}")]);
        if (resources is not null && await resources.CheckAsync(database, variants, cancellation) is { Count: > 0 } unfit) return SubmissionResult.Rejected(unfit);

        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(database.ConnectionString));
        var corpusNames = variants.Select(v => v.Spec.Corpus).Distinct().ToList();
        var corpora = await db.Corpora.AsNoTracking().Where(c => corpusNames.Contains(c.Name)).ToDictionaryAsync(c => c.Name, c => c.Id, cancellation);
        var missing = corpusNames.Where(n => !corpora.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            return SubmissionResult.Rejected(missing.Select(n => new SpecProblem("corpus", $"there is no imported corpus '{n}': import it on the Corpora page first")).ToList());
        if (await FoldProblemsAsync(db, variants, corpora, cancellation) is { Count: > 0 } foldProblems) return SubmissionResult.Rejected(foldProblems);

        var now = DateTimeOffset.UtcNow;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var projectId = project is null ? (long?)null : await ProjectIdAsync(db, project, now, cancellation);
        if (grid is not null)
        {
            grid.ProjectId = projectId;
            db.Grids.Add(grid);
            await db.SaveChangesAsync(cancellation);
        }
        var experiments = new List<Experiment>();
        var runs = new List<Run>();
        foreach (var variant in variants)
        {
            var experiment = new Experiment
            {
                Name = grid is null ? name : $"{name}: {variant.Name}", Family = variant.Spec.Family, CorpusId = corpora[variant.Spec.Corpus],
                SpecJson = ExperimentSpecJson.Serialize(variant.Spec), SpecHash = ExperimentSpecJson.Hash(variant.Spec), GridId = grid?.Id, OwnerId = ownerId, ProjectId = projectId, CreatedAt = now,
            };
            experiments.Add(experiment);
            db.Experiments.Add(experiment);
            foreach (var seed in seeds)
            {
                var run = new Run
                {
                    Experiment = experiment, GridId = grid?.Id, Family = variant.Spec.Family, CorpusId = experiment.CorpusId, Variant = variant.Name,
                    Seed = seed, Status = RunStatus.Queued, QueuedAt = now, SpecHash = ExperimentSpecJson.Hash(variant.Spec with { Seed = seed }),
                };
                runs.Add(run);
                db.Runs.Add(run);
            }
        }
        await db.SaveChangesAsync(cancellation);
        // Who queued each run, on its history.
        db.RunActions.AddRange(runs.Select(r => new RunAction { RunId = r.Id, Action = RunAction.Queued, UserId = ownerId, At = now }));
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);

        // Stored first, queued second: a run is never on the queue without its row. A failure
        // between the two leaves Queued runs a retry or `submit` can put back.
        foreach (var run in runs) await queue.EnqueueAsync(run.Id, cancellation);
        return new SubmissionResult(grid?.Id, experiments.Select(e => e.Id).ToList(), runs.Select(r => r.Id).ToList(), []);
    }

    // Made by the first submission that names it. Two submissions naming a new project at once: the
    // second's insert waits for the first and does nothing, and its next statement sees the row.
    // (Not composed by EF: a data-modifying WITH must stay at the top level.)
    private static async Task<long> ProjectIdAsync(EmotionLabDbContext db, string name, DateTimeOffset now, CancellationToken cancellation)
    {
        for (var attempt = 0; ; attempt++)
        {
            var ids = await db.Database.SqlQuery<long>($"""
                WITH made AS (INSERT INTO projects (name, created_at) VALUES ({name}, {now}) ON CONFLICT (name) DO NOTHING RETURNING id)
                SELECT id AS "Value" FROM made UNION ALL SELECT id FROM projects WHERE name = {name}
                """).ToListAsync(cancellation);
            if (ids.Count > 0) return ids[0];
            if (attempt > 0) throw new InvalidOperationException($"project '{name}' was neither made nor found");
        }
    }
}
