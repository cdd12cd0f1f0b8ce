using EmotionLab.Models.Training;

namespace EmotionLab.Models.Experiments;

/// <summary>
/// A model family as the platform knows it: its spec name, the tasks it supports, the spec
/// property that holds its config, and its trainer (null while the family is reserved).
/// </summary>
/// <param name="ConfigField">the spec's JSON property for the config ("baselines"), where its problems are reported</param>
/// <param name="ConfigOf">reads the family's config from a spec (null when unset or when the family has none yet)</param>
public sealed record FamilyInfo(string Name, IReadOnlyList<string> Tasks, string ConfigField, Func<ExperimentSpec, IFamilyConfig?> ConfigOf, IFamilyTrainer? Trainer)
{
    /// <summary>Whether runs of this family can be queued and trained.</summary>
    public bool Available => Trainer is not null;
}
