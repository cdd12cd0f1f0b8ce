using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// The inputs of one BCAF batch: the text slot's input (word ids, or a pretrained encoder's token
/// features), standardised audio frames (B, T, F) padded with zeros (log-mel, or a pretrained
/// encoder's hidden states), and the frames' padding mask (B, T), true at padding.
/// </summary>
public sealed record BcafBatch(TextInput Text, Tensor Frames, Tensor FramePadding);
