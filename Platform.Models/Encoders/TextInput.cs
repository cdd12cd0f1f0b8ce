using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Encoders;

/// <summary>
/// What a text slot reads from a batch: word ids (B, L) padded with 0 for the scratch slot, or a
/// frozen pretrained encoder's cached token features (B, L, D) with their padding mask (B, L) for
/// the pretrained slot.
/// </summary>
public sealed record TextInput(Tensor? Tokens, Tensor? Features, Tensor? Padding)
{
    public static TextInput FromTokens(Tensor tokens) => new(tokens, null, null);

    public static TextInput FromFeatures(Tensor features, Tensor padding) => new(null, features, padding);
}
