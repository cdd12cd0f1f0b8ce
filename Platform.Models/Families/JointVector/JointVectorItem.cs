namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// One item of the joint-vector dataset as plain data (tensors are made per batch).
/// </summary>
/// <param name="Key">the utterance the item is scored on: the utterance itself (ERC) or the target (EPC)</param>
/// <param name="Label">class index in label-set order</param>
/// <param name="TurnKeys">the turns whose text the item reads, oldest first; for EPC all strictly before the target</param>
/// <param name="AudioKey">the turn whose audio the item hears: the utterance (ERC) or the last context turn (EPC); null without audio</param>
/// <param name="Words">the text sequence: each turn's speaker token then its words, the oldest cut when too long</param>
/// <param name="Tokens">vocabulary ids of <paramref name="Words"/></param>
/// <param name="Focus">true on the tokens of the last turn (the focus turn)</param>
/// <param name="KwrtScores">KWRT's importance per token; null when KWRT is off or there is no text</param>
public sealed record JointVectorItem(
    string Key, int Label, IReadOnlyList<string> TurnKeys, string? AudioKey,
    IReadOnlyList<string> Words, int[] Tokens, bool[] Focus, float[]? KwrtScores);
