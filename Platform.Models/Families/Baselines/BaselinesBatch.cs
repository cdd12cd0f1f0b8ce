using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.Baselines;

/// <summary>The inputs of one batch: word ids (B, L) for text variants, pooled log-mel (B, D) for audio variants.</summary>
public sealed record BaselinesBatch(Tensor? Tokens, Tensor? Audio);
