using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>
/// Every worker node, up ones first: the live Hangfire servers (the truth about which nodes are up)
/// joined by name to worker_nodes, and nodes that are gone, each with its Running runs.
/// </summary>
public sealed class WorkerOverviewQuery(EmotionLabDbContext db)
{
    public async Task<IReadOnlyList<WorkerOverview>> ExecuteAsync(IReadOnlyList<QueueServer> servers, CancellationToken cancellation = default)
    {
        var nodes = await db.WorkerNodes.AsNoTracking().ToListAsync(cancellation);
        var names = nodes.Select(n => n.Name)
            .Concat(servers.Select(s => s.NodeName).Where(name => !nodes.Any(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase))))
            .ToArray();
        var running = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Running && r.Node != null)
            .OrderBy(r => r.Id)
            .Select(r => new RunListItem
            {
                Id = r.Id, ExperimentId = r.ExperimentId, ExperimentName = r.Experiment!.Name, Family = r.Family, CorpusId = r.CorpusId,
                GridId = r.GridId, Variant = r.Variant, Seed = r.Seed, Status = r.Status, Progress = r.Progress, Node = r.Node,
                Device = r.Device, QueuedAt = r.QueuedAt, StartedAt = r.StartedAt, FinishedAt = r.FinishedAt,
            })
            .ToListAsync(cancellation);
        var byNode = running.ToLookup(r => r.Node!, StringComparer.OrdinalIgnoreCase);
        return names
            .Select(name => new WorkerOverview(name, servers.FirstOrDefault(s => s.IsServerOf(name)),
                nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)), byNode[name].ToList()))
            .OrderByDescending(w => w.IsUp).ThenBy(w => w.Name, StringComparer.Ordinal)
            .ToList();
    }
}
