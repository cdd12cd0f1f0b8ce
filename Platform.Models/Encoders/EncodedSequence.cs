using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Encoders;

/// <summary>An encoder's output: vectors (B, T, D) and the padding mask (B, T), true where a position is padding.</summary>
public sealed record EncodedSequence(Tensor Values, Tensor Padding)
{
    /// <summary>The mean over the real positions (B, D); every row must have at least one.</summary>
    public Tensor MeanPooled()
    {
        var keep = Padding.logical_not().to(torch.float32).unsqueeze(2);
        return (Values * keep).sum(1) / keep.sum(1).clamp(min: 1);
    }
}
