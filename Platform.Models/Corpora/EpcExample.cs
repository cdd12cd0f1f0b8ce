namespace EmotionLab.Models.Corpora;

/// <summary>
/// One EPC example: predict <see cref="Target"/>'s label from <see cref="Context"/>, turns that all
/// come strictly before the target in its dialogue. <see cref="NextSpeaker"/> is the target's
/// speaker when the builder is told to give it, else null.
/// </summary>
public sealed record EpcExample(Utterance Target, string Label, int LabelIndex, IReadOnlyList<Utterance> Context, string? NextSpeaker);
