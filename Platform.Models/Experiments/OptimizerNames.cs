namespace EmotionLab.Models.Experiments;

/// <summary>Optimizer names of a spec.</summary>
public static class OptimizerNames
{
    public const string Adam = "adam";
    public const string AdamW = "adamw";

    public static IReadOnlyList<string> All { get; } = [Adam, AdamW];
}
