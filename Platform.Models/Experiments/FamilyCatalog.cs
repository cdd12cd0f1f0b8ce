namespace EmotionLab.Models.Experiments;

/// <summary>A model family as the platform knows it: its spec name, whether it can run yet, and the tasks it supports.</summary>
public sealed record FamilyInfo(string Name, bool Available, IReadOnlyList<string> Tasks);

/// <summary>
/// Every family DESIGN.md lists. Reserved families are known names (a spec naming one gets
/// "not available yet" rather than "unknown"), so specs written for them keep their meaning.
/// </summary>
public static class FamilyCatalog
{
    public const string Baselines = "baselines";
    public const string Bcaf = "bcaf";
    public const string JointVector = "jointvector";
    public const string Eaa = "eaa";
    public const string EmoQ = "emoq";

    public static IReadOnlyList<FamilyInfo> All { get; } =
    [
        new(Baselines, Available: true, [ExperimentTasks.Erc]),
        new(Bcaf, Available: false, [ExperimentTasks.Erc]),
        new(JointVector, Available: false, [ExperimentTasks.Erc, ExperimentTasks.Epc]),
        new(Eaa, Available: false, [ExperimentTasks.Erc]),
        new(EmoQ, Available: false, [ExperimentTasks.Erc]),
    ];

    public static FamilyInfo? Find(string? name) => All.FirstOrDefault(f => f.Name == name);
}
