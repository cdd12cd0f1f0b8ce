using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Families.Bcaf;
using EmotionLab.Models.Families.Eaa;
using EmotionLab.Models.Families.JointVector;
using EmotionLab.Models.Knowledge;

namespace EmotionLab.Models.Experiments;

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
        new(Baselines, [ExperimentTasks.Erc], "baselines", s => s.Baselines, new BaselinesTrainer()),
        new(Bcaf, [ExperimentTasks.Erc], "bcaf", s => s.Bcaf, new BcafTrainer()),
        new(JointVector, [ExperimentTasks.Erc, ExperimentTasks.Epc], "jointVector", s => s.JointVector, new JointVectorTrainer(root => ConceptNetIndex.TryOpen(root))),
        new(Eaa, [ExperimentTasks.Erc], "eaa", s => s.Eaa, new EaaTrainer()),
        new(EmoQ, [ExperimentTasks.Erc], "emoQ", _ => null, null),
    ];

    public static FamilyInfo? Find(string? name) => All.FirstOrDefault(f => f.Name == name);
}
