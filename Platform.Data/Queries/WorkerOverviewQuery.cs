using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>All worker nodes by name, each with its Running runs (runs whose node is the worker's name).</summary>
public sealed class WorkerOverviewQuery(EmotionLabDbContext db)
{
    public async Task<IReadOnlyList<WorkerOverview>> ExecuteAsync(CancellationToken cancellation = default)
    {
        var nodes = await db.WorkerNodes.AsNoTracking().OrderBy(w => w.Name).ToListAsync(cancellation);
        var names = nodes.Select(n => n.Name).ToArray();
        var running = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Running && r.Node != null && names.Contains(r.Node))
            .OrderBy(r => r.Id)
            .Select(r => new RunListItem
            {
                Id = r.Id, ExperimentId = r.ExperimentId, ExperimentName = r.Experiment!.Name, Family = r.Family, CorpusId = r.CorpusId,
                GridId = r.GridId, Variant = r.Variant, Seed = r.Seed, Status = r.Status, Progress = r.Progress, Node = r.Node,
                Device = r.Device, QueuedAt = r.QueuedAt, StartedAt = r.StartedAt, FinishedAt = r.FinishedAt,
            })
            .ToListAsync(cancellation);
        var byNode = running.ToLookup(r => r.Node!);
        return nodes.Select(n => new WorkerOverview(n, byNode[n.Name].ToList())).ToList();
    }
}
