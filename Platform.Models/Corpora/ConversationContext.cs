namespace EmotionLab.Models.Corpora;

/// <summary>The turns before an utterance inside its dialogue, and the speakers as ERC models see them.</summary>
public static class ConversationContext
{
    /// <summary>
    /// The <paramref name="window"/> turns that end at <paramref name="last"/> (inclusive), oldest
    /// first; all of them from the dialogue start when <paramref name="window"/> is null.
    /// </summary>
    public static IReadOnlyList<Utterance> EndingAt(Dialogue dialogue, int last, int? window)
    {
        if (last < 0) return [];
        var first = window is { } w ? Math.Max(0, last + 1 - w) : 0;
        return dialogue.Utterances.Skip(first).Take(last + 1 - first).ToArray();
    }

    /// <summary>The previous <paramref name="k"/> utterances of the one at <paramref name="position"/> (all history when null); never the utterance itself.</summary>
    public static IReadOnlyList<Utterance> Before(Dialogue dialogue, int position, int? k) => EndingAt(dialogue, position - 1, k);

    /// <summary>Every utterance of the dialogue with its previous <paramref name="k"/> utterances.</summary>
    public static IReadOnlyList<(Utterance Utterance, IReadOnlyList<Utterance> Previous)> ForDialogue(Dialogue dialogue, int? k) =>
        dialogue.Utterances.Select((u, i) => (u, Before(dialogue, i, k))).ToArray();

    /// <summary>Speaker of each utterance as the order of the speaker's first appearance in the dialogue (0, 1, ...), the one-hot index ERC models use.</summary>
    public static IReadOnlyList<int> SpeakerIndices(Dialogue dialogue)
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        return dialogue.Utterances.Select(u => order.TryGetValue(u.Speaker, out var i) ? i : order[u.Speaker] = order.Count).ToArray();
    }
}
