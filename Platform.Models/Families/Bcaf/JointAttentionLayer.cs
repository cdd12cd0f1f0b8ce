using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// A layer of the BAN's "jan" variant (Table II, Fig. 7b): one joint attention (the pair of
/// softmaxes, intra- and inter-modal weights in one map) in place of separate self- and
/// cross-attention. Its output h* is added to each modality as in eqs. (5)-(6):
/// H_m = LayerNorm(X_m + h*), then AddNorm(H_m + FeedForward(H_m)), per modality. Works on
/// aligned segments (SegmentAlignment).
/// </summary>
public sealed class JointAttentionLayer : Module<Tensor, Tensor, (Tensor Audio, Tensor Text)>
{
    private readonly JointAttention joint;
    private readonly LayerNorm normAudio, normText, addNormAudio, addNormText;
    private readonly Sequential feedForwardAudio, feedForwardText;
    private readonly Dropout dropout;

    public JointAttentionLayer(int width, int heads, int feedForwardSize, double lambdaInit, double dropoutRate)
    {
        joint = register_module("joint", new JointAttention(width, heads, lambdaInit));
        normAudio = register_module("norm_audio", new LayerNorm(width));
        normText = register_module("norm_text", new LayerNorm(width));
        feedForwardAudio = register_module("feed_forward_audio", FeedForward(width, feedForwardSize, dropoutRate));
        feedForwardText = register_module("feed_forward_text", FeedForward(width, feedForwardSize, dropoutRate));
        addNormAudio = register_module("add_norm_audio", new LayerNorm(width));
        addNormText = register_module("add_norm_text", new LayerNorm(width));
        dropout = register_module("dropout", new Dropout(dropoutRate));
    }

    /// <summary>Aligned audio and text (B, S, D) to the next layer's (B, S, D) each.</summary>
    public override (Tensor Audio, Tensor Text) forward(Tensor audio, Tensor text)
    {
        var attended = dropout.forward(joint.forward(audio, text));
        var ha = normAudio.forward(audio + attended);
        var hl = normText.forward(text + attended);
        return (addNormAudio.forward(ha + dropout.forward(feedForwardAudio.forward(ha))),
            addNormText.forward(hl + dropout.forward(feedForwardText.forward(hl))));
    }

    private static Sequential FeedForward(int width, int hidden, double dropoutRate) =>
        new(new Linear(width, hidden), new ReLU(), new Dropout(dropoutRate), new Linear(hidden, width));
}
