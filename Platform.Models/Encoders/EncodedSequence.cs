using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

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

    /// <summary>
    /// Every <paramref name="stride"/> positions averaged into one (B, ceil(T / stride), D), over
    /// their real positions only; a block is padding when all of its positions are.
    /// </summary>
    public EncodedSequence BlockMeans(int stride)
    {
        var (batch, length, width) = (Values.size(0), Values.size(1), Values.size(2));
        var blocks = (length + stride - 1) / stride;
        var extra = blocks * stride - length;
        var keep = Padding.logical_not().to(torch.float32).unsqueeze(2);
        var x = Values * keep;
        if (extra > 0)
        {
            x = functional.pad(x, [0, 0, 0, extra]);
            keep = functional.pad(keep, [0, 0, 0, extra]);
        }
        var counts = keep.reshape(batch, blocks, stride, 1).sum(2);
        return new EncodedSequence(x.reshape(batch, blocks, stride, width).sum(2) / counts.clamp(min: 1), counts.squeeze(2).eq(0));
    }
}
