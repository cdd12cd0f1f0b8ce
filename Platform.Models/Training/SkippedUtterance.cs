namespace EmotionLab.Models.Training;

/// <summary>An utterance with a label in the set that a family's data could not use, and why (e.g. no usable audio).</summary>
public sealed record SkippedUtterance(string Key, string Reason);
