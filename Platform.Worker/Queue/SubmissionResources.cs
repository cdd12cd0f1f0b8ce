using EmotionLab.Data;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Training;
using Npgsql;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// What a submission checks against the lab's files and machines before anything is stored: the
/// model folders a spec names open, and the run fits in memory (<see cref="TrainingMemoryEstimate"/>).
/// The budget is the memory of the machine that submits (the web app's in-process node, or where
/// `submit` runs: a CPU box). A live worker node with a GPU lifts the refusal, since nodes do not
/// report their GPUs' memory yet; its run fails at allocation instead.
/// </summary>
/// <param name="artifactRoot">where model folders are found by name (ARTIFACTS/models/NAME)</param>
/// <param name="memoryBytes">the memory one run may use on this machine</param>
public sealed class SubmissionResources(string artifactRoot, long memoryBytes)
{
    /// <summary>This machine's memory, as the runtime sees it (a container's limit when it has one).</summary>
    public static long MachineMemoryBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public async Task<IReadOnlyList<SpecProblem>> CheckAsync(PlatformDatabase database, IEnumerable<GridVariant> variants, CancellationToken cancellation)
    {
        var problems = new List<SpecProblem>();
        bool? gpuNode = null;
        foreach (var variant in variants)
        {
            if (FamilyCatalog.Find(variant.Spec.Family) is not { } family || family.ConfigOf(variant.Spec) is not { } config) continue;
            var (estimate, folderProblems) = config.EstimateMemory(artifactRoot);
            var prefix = variant.Name.Length > 0 ? $"variant '{variant.Name}': " : "";
            problems.AddRange(folderProblems.Select(p => p with { Message = prefix + p.Message }));
            if (estimate is null || estimate.Bytes <= memoryBytes) continue;
            gpuNode ??= await LiveGpuNodeAsync(database, cancellation);
            if (gpuNode == true) continue;
            problems.Add(new SpecProblem(family.ConfigField, prefix +
                $"the run needs {estimate}, more than the {TrainingMemoryEstimate.GiB(memoryBytes)} of this machine, and no GPU node is live; " +
                "start a worker node with a GPU that has the memory (`Platform.Worker serve --devices cuda:0`), or use a smaller model folder"));
        }
        return problems;
    }

    private static async Task<bool> LiveGpuNodeAsync(PlatformDatabase database, CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM worker_nodes WHERE heartbeat_at > now() - interval '2 minutes'
                                                        AND EXISTS (SELECT 1 FROM unnest(devices) d WHERE d LIKE 'cuda%'))
            """, connection);
        return (bool)(await command.ExecuteScalarAsync(cancellation))!;
    }
}
