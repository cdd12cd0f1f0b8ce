using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// The inputs of one BCAF batch: word ids (B, L) padded with 0, standardised log-mel frames
/// (B, T, F) padded with zeros, and the frames' padding mask (B, T), true at padding.
/// </summary>
public sealed record BcafBatch(Tensor Tokens, Tensor Frames, Tensor FramePadding);
