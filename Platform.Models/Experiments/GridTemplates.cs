using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Families.Bcaf;
using EmotionLab.Models.Families.Eaa;
using EmotionLab.Models.Families.EmoQ;
using EmotionLab.Models.Families.JointVector;

namespace EmotionLab.Models.Experiments;

/// <summary>Every grid template, by name: the experiment page and `submit --template` list these.</summary>
public static class GridTemplates
{
    public static IReadOnlyList<GridTemplate> All { get; } = [BaselinesGridTemplate.Template, .. BcafGridTemplates.All, .. JointVectorGridTemplates.All, .. EaaGridTemplates.All, .. EmoQGridTemplates.All];

    public static GridTemplate? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
