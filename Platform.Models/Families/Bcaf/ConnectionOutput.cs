using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>The interactive connection network's latents e_a, e_l (B, latent) and reconstructions d_a, d_l (B, width).</summary>
public sealed record ConnectionOutput(Tensor LatentAudio, Tensor LatentText, Tensor DecodedAudio, Tensor DecodedText);
