namespace EmotionLab.Web.Components.Experiments;

/// <summary>One option of a form select; Attributes are extra data-* attributes a script reads (e.g. data-modalities).</summary>
public sealed record FormOption(string Value, string Text, bool Disabled = false, IReadOnlyDictionary<string, object>? Attributes = null);
