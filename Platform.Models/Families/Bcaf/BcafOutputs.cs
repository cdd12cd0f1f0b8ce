using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// Everything one BCAF forward pass computes that the loss or an inspection needs: the utterance
/// representations H_a, H_l (the encoders' sequences, mean-pooled), the ICN's output (null without
/// the ICN), the correlation coefficients (null without the CAN), the three heads' logits and the
/// final decision's logits.
/// </summary>
public sealed record BcafOutputs(
    Tensor AudioRepresentation,
    Tensor TextRepresentation,
    ConnectionOutput? Connection,
    Tensor? AudioCorrelation,
    Tensor? TextCorrelation,
    Tensor AudioLogits,
    Tensor TextLogits,
    Tensor BimodalLogits,
    Tensor Logits);
