using System.Globalization;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Training;

/// <summary>
/// A run's checkpoints: one folder per epoch (epoch-0003/) holding model, optimizer and progress.
/// Each is written to a .partial folder and renamed when complete, so a crash mid-save leaves
/// the previous one intact. Only the latest (to resume) and the best (to use) are kept.
/// </summary>
public sealed class RunCheckpoints(string folder)
{
    private const string Prefix = "epoch-";

    public string Folder { get; } = folder;

    public string FolderOf(int epoch) => Path.Combine(Folder, Prefix + epoch.ToString("D4", CultureInfo.InvariantCulture));

    /// <summary>The last complete checkpoint's epoch and folder, or null when there is none.</summary>
    public (int Epoch, string Folder)? Latest()
    {
        if (!Directory.Exists(Folder)) return null;
        var epochs = Directory.GetDirectories(Folder)
            .Select(Path.GetFileName)
            .Where(n => n!.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => int.TryParse(n![Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e : -1)
            .Where(e => e > 0)
            .ToArray();
        return epochs.Length == 0 ? null : (epochs.Max(), FolderOf(epochs.Max()));
    }

    /// <param name="leaveOut">frozen pretrained state the checkpoint leaves out (<see cref="IPretrainedBases"/>)</param>
    public string Save(int epoch, torch.nn.Module model, torch.optim.Optimizer optimizer, IReadOnlyDictionary<string, string> metadata, int bestEpoch,
        IReadOnlySet<string>? leaveOut = null)
    {
        var target = FolderOf(epoch);
        var partial = target + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, true);
        Checkpoint.Save(partial, model, optimizer, metadata, leaveOut);
        if (Directory.Exists(target)) Directory.Delete(target, true);
        Directory.Move(partial, target);
        foreach (var old in Directory.GetDirectories(Folder, Prefix + "*"))
            if (old != target && old != FolderOf(bestEpoch)) Directory.Delete(old, true);
        return target;
    }
}
