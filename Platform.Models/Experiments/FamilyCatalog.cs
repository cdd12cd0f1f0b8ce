using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Families.Bcaf;
using EmotionLab.Models.Families.Eaa;
using EmotionLab.Models.Families.EmoQ;
using EmotionLab.Models.Families.JointVector;
using EmotionLab.Models.Knowledge;

namespace EmotionLab.Models.Experiments;

/// <summary>
/// Every family DESIGN.md lists, each with its config and trainer. A family without a trainer
/// would be a known name that is "not available yet" rather than "unknown".
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
        new(EmoQ, [ExperimentTasks.Erc], "emoQ", s => s.EmoQ, new EmoQTrainer()),
    ];

    public static FamilyInfo? Find(string? name) => All.FirstOrDefault(f => f.Name == name);
}
