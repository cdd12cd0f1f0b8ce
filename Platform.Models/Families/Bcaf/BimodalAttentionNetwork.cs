using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// The bimodal attention network (Section III.B.2, Fig. 4) over the encoders' token and frame
/// sequences, with <see cref="BcafConfig.Layers"/> layers. The self-attention stack (eqs. 4-6)
/// and, parallel to it, the cross-attention stack (eqs. 7-12) run per modality; each layer of the
/// cross stack lets audio read the text of the previous layer and text read the audio. Table II's
/// variants: ban (both stacks), ban-sa (self-attention only: h^c is the input, passed through),
/// ban-ca (cross-attention only: h^s is the input, passed through), jan (one stack of joint
/// attention layers on aligned segments, whose output is both h^s and h^c).
/// </summary>
public sealed class BimodalAttentionNetwork : Module<EncodedSequence, EncodedSequence, BimodalAttentionOutput>
{
    private readonly ModuleList<AttentionBlock>? selfAudio, selfText, crossAudio, crossText;
    private readonly ModuleList<JointAttentionLayer>? joint;
    private readonly int segments;

    public BimodalAttentionNetwork(BcafConfig config, int width)
    {
        Variant = config.Attention;
        segments = config.Segments;
        var feedForward = 2 * width; // the paper gives no FFN width
        ModuleList<AttentionBlock> Stack(string name) =>
            register_module(name, new ModuleList<AttentionBlock>(Enumerable.Range(0, config.Layers).Select(_ => new AttentionBlock(width, config.Heads, feedForward, config.Dropout)).ToArray()));
        if (Variant == BcafConfig.Jan)
        {
            joint = register_module("joint", new ModuleList<JointAttentionLayer>(Enumerable.Range(0, config.Layers)
                .Select(_ => new JointAttentionLayer(width, config.Heads, feedForward, config.LambdaInit, config.Dropout)).ToArray()));
            return;
        }
        if (Variant != BcafConfig.BanCrossOnly) (selfAudio, selfText) = (Stack("self_audio"), Stack("self_text"));
        if (Variant != BcafConfig.BanSelfOnly) (crossAudio, crossText) = (Stack("cross_audio"), Stack("cross_text"));
    }

    public string Variant { get; }

    public override BimodalAttentionOutput forward(EncodedSequence audio, EncodedSequence text)
    {
        if (joint is not null)
        {
            var (a, l) = (SegmentAlignment.Align(audio, segments), SegmentAlignment.Align(text, segments));
            foreach (var layer in joint) (a, l) = layer.forward(a, l);
            // Aligned segments have no padding.
            var none = torch.zeros([a.size(0), a.size(1)], torch.@bool, a.device);
            var (ja, jl) = (new EncodedSequence(a, none), new EncodedSequence(l, none));
            return new BimodalAttentionOutput(ja, jl, ja, jl);
        }

        var (selfA, selfL) = (audio, text);
        if (selfAudio is not null)
            for (var i = 0; i < selfAudio.Count; i++)
                (selfA, selfL) = (selfAudio[i].forward(selfA, selfA), selfText![i].forward(selfL, selfL));

        var (crossA, crossL) = (audio, text);
        if (crossAudio is not null)
            for (var i = 0; i < crossAudio.Count; i++)
                (crossA, crossL) = (crossAudio[i].forward(crossA, crossL), crossText![i].forward(crossL, crossA));

        return new BimodalAttentionOutput(selfA, selfL, crossA, crossL);
    }
}
