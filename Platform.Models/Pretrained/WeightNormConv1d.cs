using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Pretrained;

/// <summary>
/// The grouped conv over time with weight norm that wav2vec 2.0, HuBERT, WavLM and BEATs use as a
/// relative positional embedding: w = g v / ||v|| with the norm over all but the kernel axis
/// (weight_norm(dim=2)), "same" padding of kernel / 2, and an even kernel's extra last frame dropped
/// (fairseq's SamePad). Parameters as PyTorch saves them: weight_g, weight_v, bias.
/// </summary>
public sealed class WeightNormConv1d : Module
{
    private readonly long kernel, groups;
    private readonly Parameter weight_g, weight_v, bias;

    public WeightNormConv1d(int channels, int kernel, int groups)
    {
        (this.kernel, this.groups) = (kernel, groups);
        weight_v = register_parameter("weight_v", new Parameter(torch.randn([channels, channels / groups, kernel]).mul(0.02)));
        weight_g = register_parameter("weight_g", new Parameter(torch.ones([1, 1, kernel])));
        bias = register_parameter("bias", new Parameter(torch.zeros([channels])));
    }

    public Tensor forward(Tensor x)                                               // (B, D, T) -> (B, D, T)
    {
        var norm = weight_v.square().sum([0, 1], keepdim: true).sqrt();          // (1, 1, K)
        var y = functional.conv1d(x, weight_v * (weight_g / norm), bias, padding: kernel / 2, groups: groups); // (B, D, T [+1])
        return kernel % 2 == 0 ? y.narrow(2, 0, y.size(2) - 1) : y;
    }
}
