using System.Globalization;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// What deleting a run, an experiment or a grid takes with it, counted before anything goes, so
/// the confirmation can name it: the runs (and how many are still queued or training, which are
/// canceled first), their metric rows, checkpoints and prediction files, and the bytes their
/// folders hold on disk.
/// </summary>
/// <param name="Kind">run, experiment or grid (<see cref="Data.Entities.Deletion"/>'s kinds)</param>
/// <param name="OwnerId">who queued it: its owner and admins may delete it</param>
public sealed record DeletionPlan(
    string Kind, long TargetId, string Name, long? OwnerId, IReadOnlyList<long> RunIds, int ActiveRuns,
    long MetricRows, int Checkpoints, int PredictionFiles, long BytesOnDisk)
{
    /// <summary>"grid 'ablation' (#3)", "run #12".</summary>
    public string Title => Kind == Data.Entities.Deletion.RunKind ? $"run #{TargetId}" : $"{Kind} '{Name}' (#{TargetId})";

    /// <summary>What goes, in one line: "6 runs, 1,240 metric rows, 6 checkpoints, 12 prediction files, 3.4 MB on disk".</summary>
    public string Summary =>
        string.Join(", ", [Count(RunIds.Count, "run"), Count(MetricRows, "metric row"), Count(Checkpoints, "checkpoint"), Count(PredictionFiles, "prediction file")])
        + $", {Size(BytesOnDisk)} on disk";

    private static string Count(long n, string noun) => n.ToString("N0", CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} kB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F2} GB"),
    };
}
