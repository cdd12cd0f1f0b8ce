namespace EmotionLab.Web.Components.Experiments;

/// <summary>One option of a form select: its value, what the list shows, and whether it can be picked.</summary>
public sealed record FormOption(string Value, string Text, bool Disabled = false);
