namespace EmotionLab.Models.Corpora;

/// <summary>A conversation: its utterances in corpus order (MELD Utterance_ID, IEMOCAP start time).</summary>
public sealed record Dialogue(string Key, string Split, int? Fold, IReadOnlyList<Utterance> Utterances);
