using EmotionLab.Models.Families.Baselines;

namespace EmotionLab.Models.Experiments;

/// <summary>Every grid template, by name: the experiment page and `submit --template` list these.</summary>
public static class GridTemplates
{
    public static IReadOnlyList<GridTemplate> All { get; } = [BaselinesGridTemplate.Template];

    public static GridTemplate? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
