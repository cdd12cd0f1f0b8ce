using System.Text.Json;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.EmoQ;

/// <summary>A finished stage 1: the run that trained it, its epochs and steps, and its best checkpoint (the bridge stage 2 loads).</summary>
public sealed record Stage1Result(string Run, int Epochs, long Steps, int BestEpoch, double BestValidationWeightedF1, string Checkpoint);

/// <summary>
/// Where stage 1 trains and its result is kept, shared by every run whose stage-1 spec
/// (<see cref="EmoQConfig.Stage1Spec"/>: the seed included), corpus and corpus content agree: a
/// grid whose variants differ only in stage 2 trains stage 1 once and the other runs load its
/// best checkpoint. A folder under the artifact root's emoq-stage1/, locked while one run trains
/// in it (the others wait); a canceled stage 1 is resumed by the next run that needs it.
/// </summary>
public static class Stage1Results
{
    private const string ResultFile = "result.json";

    public static string FolderFor(string artifactRoot, ExperimentSpec stage1Spec, Corpus corpus) =>
        Path.Combine(artifactRoot, "emoq-stage1", $"{ExperimentSpecJson.Hash(stage1Spec)[..16]}-{CorpusFingerprint.Compute(corpus)[..8]}");

    /// <summary>The finished stage 1 in the folder, or null when none finished there yet.</summary>
    public static Stage1Result? Read(string folder)
    {
        var path = Path.Combine(folder, ResultFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<Stage1Result>(File.ReadAllText(path), ExperimentSpecJson.Options) : null;
    }

    /// <summary>Records a finished stage 1 (written whole, then moved into place).</summary>
    public static void Write(string folder, Stage1Result result)
    {
        var path = Path.Combine(folder, ResultFile);
        File.WriteAllText(path + ".partial", JsonSerializer.Serialize(result, ExperimentSpecJson.Options));
        File.Move(path + ".partial", path, overwrite: true);
    }

    /// <summary>Loads the bridge's weights ("bridge.*") of a stage-1 checkpoint into a stage-2 bridge; every one must fit.</summary>
    public static void LoadBridge(string checkpoint, EmoQBridge bridge) => Checkpoint.Load(checkpoint, bridge, prefix: "bridge.");
}
