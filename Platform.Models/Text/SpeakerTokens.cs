namespace EmotionLab.Models.Text;

/// <summary>
/// Speakers as tokens by order of first appearance within the dialogue ([SPK0] is whoever speaks
/// first), the speaker feature ERC models use (CORPORA.md): names do not leak across dialogues.
/// </summary>
public static class SpeakerTokens
{
    /// <summary>Speaker tokens in a vocabulary; later speakers of a crowded dialogue share the last one.</summary>
    public const int Max = 9;

    public static string Token(int order) => $"[SPK{order}]";

    /// <summary>For each turn of one dialogue (speakers in turn order), its speaker's token.</summary>
    public static string[] ForDialogue(IReadOnlyList<string> speakers)
    {
        var order = new Dictionary<string, int>();
        return speakers.Select(s =>
        {
            if (!order.TryGetValue(s, out var index)) order[s] = index = order.Count;
            return Token(Math.Min(index, Max - 1));
        }).ToArray();
    }
}
