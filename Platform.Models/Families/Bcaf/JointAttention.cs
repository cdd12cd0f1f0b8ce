using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// The joint attention of eqs. (13)-(14), with the pair of softmaxes and a learnable lambda:
/// h* = (softmax((Q_a K_a^T + Q_l K_l^T) / sqrt(d_k)) - lambda softmax(Q_a K_l^T / sqrt(d_k))) V,
/// V the mean of V_a and V_l. Q, K, V are bias-free projections per modality. Text and audio must
/// share their positions (SegmentAlignment), since the scores are added position by position.
/// </summary>
public sealed class JointAttention : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear queryAudio, keyAudio, valueAudio, queryText, keyText, valueText;
    private readonly int heads;

    public JointAttention(int width, int heads, double lambdaInit)
    {
        this.heads = heads;
        queryAudio = register_module("query_audio", new Linear(width, width, hasBias: false));
        keyAudio = register_module("key_audio", new Linear(width, width, hasBias: false));
        valueAudio = register_module("value_audio", new Linear(width, width, hasBias: false));
        queryText = register_module("query_text", new Linear(width, width, hasBias: false));
        keyText = register_module("key_text", new Linear(width, width, hasBias: false));
        valueText = register_module("value_text", new Linear(width, width, hasBias: false));
        Lambda = register_parameter("lambda", new Parameter(torch.full([1], lambdaInit)));
    }

    /// <summary>The learnable lambda weighting the cross-modal softmax.</summary>
    public Parameter Lambda { get; }

    /// <summary>Aligned audio and text (B, S, D) to the joint bimodal representation h* (B, S, D).</summary>
    public override Tensor forward(Tensor audio, Tensor text)
    {
        var qa = AttentionBlock.SplitHeads(queryAudio.forward(audio), heads);
        var ka = AttentionBlock.SplitHeads(keyAudio.forward(audio), heads);
        var ql = AttentionBlock.SplitHeads(queryText.forward(text), heads);
        var kl = AttentionBlock.SplitHeads(keyText.forward(text), heads);
        var v = AttentionBlock.SplitHeads((valueAudio.forward(audio) + valueText.forward(text)) * 0.5, heads);
        var scale = 1.0 / Math.Sqrt(qa.size(3));
        var intra = ((qa.matmul(ka.mT) + ql.matmul(kl.mT)) * scale).softmax(-1);
        var cross = (qa.matmul(kl.mT) * scale).softmax(-1);
        return AttentionBlock.MergeHeads((intra - cross * Lambda).matmul(v));
    }
}
