namespace EmotionLab.Web.Live;

/// <summary>What changed since the previous look: runs (status, progress, a new step or epoch, deleted), the grids they belong to (or deleted), the worker nodes, the demo's setup, the corpus imports.</summary>
public sealed record LabChange(IReadOnlySet<long> Runs, IReadOnlySet<long> Grids, bool Workers, bool Demo, bool Imports)
{
    public bool Concerns(long runId) => Runs.Contains(runId);
    public bool ConcernsGrid(long gridId) => Grids.Contains(gridId);
    public bool Any => Runs.Count > 0 || Grids.Count > 0 || Workers || Demo || Imports;
}
