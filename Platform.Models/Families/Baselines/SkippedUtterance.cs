namespace EmotionLab.Models.Families.Baselines;

/// <summary>An utterance with a label in the set that a variant could not use, and why (e.g. no usable audio).</summary>
public sealed record SkippedUtterance(string Key, string Reason);
