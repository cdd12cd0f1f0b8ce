using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// The correlative attention network (Section III.B.3, Fig. 5). Joint attention network: the
/// enhanced self-attention sequences h_a^s, h_l^s, aligned to common segments, through the joint
/// attention of eq. (14) to h*, averaged over the segments. Bimodal correlation evaluation: h*
/// through a linear layer to h^b (the latent's width), and the cosine similarities
/// cor_a-b = cos(e_a, h^b), cor_l-b = cos(e_l, h^b) of eq. (15), which scale h_a^s and h_l^s (eq. 16).
/// Without the ICN there are no latents: the unimodal representations H_a, H_l stand in for
/// them and h^b takes their width.
/// </summary>
public sealed class CorrelativeAttentionNetwork : Module
{
    private readonly JointAttention joint;
    private readonly Dropout dropout;
    private readonly Linear toLatent;
    private readonly int segments;

    /// <param name="latentSize">width of the vectors the correlations compare with: the ICN's latent, or the representation's width without an ICN</param>
    public CorrelativeAttentionNetwork(int width, int latentSize, int heads, int segments, double lambdaInit, double dropoutRate)
    {
        this.segments = segments;
        joint = register_module("joint", new JointAttention(width, heads, lambdaInit));
        dropout = register_module("dropout", new Dropout(dropoutRate));
        toLatent = register_module("to_latent", new Linear(width, latentSize));
    }

    /// <summary>The joint attention (its lambda is a parameter of this network).</summary>
    public JointAttention Joint => joint;

    /// <summary>The correlation coefficients cor_a-b and cor_l-b (B) and the fused representation h^b (B, latent).</summary>
    public (Tensor AudioCorrelation, Tensor TextCorrelation, Tensor Bimodal) forward(EncodedSequence selfAudio, EncodedSequence selfText, Tensor latentAudio, Tensor latentText)
    {
        var hStar = joint.forward(SegmentAlignment.Align(selfAudio, segments), SegmentAlignment.Align(selfText, segments));
        var bimodal = toLatent.forward(dropout.forward(hStar.mean(1)));
        return (functional.cosine_similarity(latentAudio, bimodal, 1), functional.cosine_similarity(latentText, bimodal, 1), bimodal);
    }
}
