using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// The first fusion step (EPC paper, 2.5): a transformer whose queries are the audio features and
/// whose keys and values are the text features, giving the preliminary fusion F_{t,a} at the
/// audio's positions. Each layer is cross-attention then a feed-forward block, each with dropout,
/// a residual and LayerNorm; the papers' fusion transformer has the extractor's configuration.
/// </summary>
public sealed class FirstStepFusion : Module
{
    private readonly ModuleList<CrossAttentionLayer> layers;

    public FirstStepFusion(int size, int heads, int layerCount, double dropout)
    {
        layers = register_module("layers", new ModuleList<CrossAttentionLayer>());
        for (var i = 0; i < layerCount; i++) layers.append(new CrossAttentionLayer(size, heads, dropout));
    }

    /// <param name="audio">F_a (B, P, D), the queries</param>
    /// <param name="text">F_t (B, L, D), keys and values, with its padding (B, L)</param>
    public Tensor forward(Tensor audio, Tensor text, Tensor textPadding)
    {
        var x = audio;
        foreach (var layer in layers) x = layer.forward(x, text, textPadding);
        return x;
    }
}
