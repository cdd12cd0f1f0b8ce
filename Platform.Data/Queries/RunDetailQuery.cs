using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>Everything the run page shows except the per-step losses (StepLossQuery), which can be long.</summary>
public sealed class RunDetailQuery(EmotionLabDbContext db)
{
    /// <summary>The run, or null when no run has this id.</summary>
    public async Task<RunDetail?> ExecuteAsync(long runId, CancellationToken cancellation = default)
    {
        var run = await db.Runs.AsNoTracking().Include(r => r.Experiment).SingleOrDefaultAsync(r => r.Id == runId, cancellation);
        if (run is null) return null;
        var gridName = run.GridId is { } gridId
            ? await db.Grids.AsNoTracking().Where(g => g.Id == gridId).Select(g => g.Name).SingleOrDefaultAsync(cancellation)
            : null;
        var epochs = await db.EpochMetrics.AsNoTracking().Where(m => m.RunId == runId)
            .OrderBy(m => m.Split).ThenBy(m => m.Epoch).ToListAsync(cancellation);
        var matrices = await db.ConfusionMatrices.AsNoTracking().Where(m => m.RunId == runId)
            .OrderBy(m => m.Split).ThenBy(m => m.Epoch).ToListAsync(cancellation);
        var experiment = run.Experiment!;
        return new RunDetail(run, experiment, gridName, epochs, matrices)
        {
            ProjectName = experiment.ProjectId is { } projectId ? await db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => p.Name).SingleOrDefaultAsync(cancellation) : null,
            OwnerName = experiment.OwnerId is { } ownerId ? await db.Users.AsNoTracking().Where(u => u.Id == ownerId).Select(u => u.UserName).SingleOrDefaultAsync(cancellation) : null,
        };
    }
}
