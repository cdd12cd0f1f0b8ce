using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// One JF block (ERC paper, eqs. 1-4; the EPC paper's MFM block, eqs. 3-6): a language transformer
/// layer LTrans and a visual (ViT) layer VTrans, each run twice. The joint vector v_j goes through
/// VTrans beside the mel stream, is mapped by an MLP into the language space and joins the language
/// stream in LTrans; symmetrically v'_j goes through LTrans and joins the mel stream in VTrans. The
/// joint positions are dropped from the outputs, so a stream's length is unchanged.
///
/// <para>Without joint vectors (ERC Table 2 "w/o v_j") the block runs LTrans on the language stream
/// and VTrans on the mel stream once each, and the two never meet.</para>
/// </summary>
public sealed class JointFusionBlock : Module, IFusionBlock
{
    private readonly TransformerEncoderLayer language, visual;
    private readonly Parameter? joint, jointPrime;
    private readonly Sequential? visualToLanguage, languageToVisual;

    public JointFusionBlock(int size, int heads, double dropout, int? jointVectorLength)
    {
        language = register_module("language", new TransformerEncoderLayer(size, heads, dim_feedforward: 2 * size, dropout: dropout, batch_first: true));
        visual = register_module("visual", new TransformerEncoderLayer(size, heads, dim_feedforward: 2 * size, dropout: dropout, batch_first: true));
        if (jointVectorLength is not { } length) return;
        // Prompt-style initialisation (the paper follows Li et al. 2023, who do not say more): N(0, 0.02).
        joint = register_parameter("joint", new Parameter(torch.empty([length, size])));
        jointPrime = register_parameter("joint_prime", new Parameter(torch.empty([length, size])));
        init.normal_(joint, 0.02);
        init.normal_(jointPrime, 0.02);
        // "an MLP layer": Linear, GELU, Linear.
        visualToLanguage = register_module("visual_to_language", new Sequential(new Linear(size, size), new GELU(), new Linear(size, size)));
        languageToVisual = register_module("language_to_visual", new Sequential(new Linear(size, size), new GELU(), new Linear(size, size)));
    }

    public int? JointVectorLength => joint is null ? null : (int)joint.size(0);

    public (Tensor Language, Tensor Visual) Forward(Tensor languageStream, Tensor languagePadding, Tensor visualStream, Tensor visualPadding)
    {
        if (joint is null) return (language.forward(languageStream, null, languagePadding), visual.forward(visualStream, null, visualPadding));

        var batch = languageStream.size(0);
        // Eq. 1: (F^_m, v^_j) = VTrans(F_m ⊕ v_j); eq. 2: F_{m->t} = LTrans(F_t ⊕ MLP(v^_j)).
        var jointOut = Tail(WithJoint(visual, visualStream, visualPadding, Expand(joint, batch)), joint.size(0));
        var newLanguage = Head(WithJoint(language, languageStream, languagePadding, visualToLanguage!.forward(jointOut)), languageStream.size(1));
        // Eq. 3: (F^_t, v^'_j) = LTrans(F_t ⊕ v'_j); eq. 4: F_{t->m} = VTrans(F_m ⊕ MLP(v^'_j)).
        var jointPrimeOut = Tail(WithJoint(language, languageStream, languagePadding, Expand(jointPrime!, batch)), jointPrime!.size(0));
        var newVisual = Head(WithJoint(visual, visualStream, visualPadding, languageToVisual!.forward(jointPrimeOut)), visualStream.size(1));
        return (newLanguage, newVisual);
    }

    private static Tensor Expand(Tensor vector, long batch) => vector.unsqueeze(0).expand(batch, vector.size(0), vector.size(1));

    // The layer over the stream with the joint positions appended (never padding).
    private static Tensor WithJoint(TransformerEncoderLayer layer, Tensor stream, Tensor padding, Tensor jointVectors)
    {
        var jointPadding = torch.zeros([stream.size(0), jointVectors.size(1)], ScalarType.Bool, stream.device);
        return layer.forward(torch.cat([stream, jointVectors], 1), null, torch.cat([padding, jointPadding], 1));
    }

    private static Tensor Head(Tensor x, long length) => x.narrow(1, 0, length);

    private static Tensor Tail(Tensor x, long length) => x.narrow(1, x.size(1) - length, length);
}
