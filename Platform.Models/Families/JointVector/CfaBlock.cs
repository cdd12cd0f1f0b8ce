using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// One block of cross-modal fusion attention, the CFA row of the ERC paper's Table 3 (after SCFA,
/// Zhao et al. 2023; the paper says no more): each stream first attends to the other (language
/// queries over the mel stream, mel queries over the language stream), then runs its own
/// transformer layer, LTrans or VTrans, as in a JF block. Full cross-attention replaces the
/// joint vectors as the channel between the modalities.
/// </summary>
public sealed class CfaBlock : Module, IFusionBlock
{
    private readonly CrossAttentionLayer languageFromVisual, visualFromLanguage;
    private readonly TransformerEncoderLayer language, visual;

    public CfaBlock(int size, int heads, double dropout)
    {
        languageFromVisual = register_module("language_from_visual", new CrossAttentionLayer(size, heads, dropout));
        visualFromLanguage = register_module("visual_from_language", new CrossAttentionLayer(size, heads, dropout));
        language = register_module("language", new TransformerEncoderLayer(size, heads, dim_feedforward: 2 * size, dropout: dropout, batch_first: true));
        visual = register_module("visual", new TransformerEncoderLayer(size, heads, dim_feedforward: 2 * size, dropout: dropout, batch_first: true));
    }

    public (Tensor Language, Tensor Visual) Forward(Tensor languageStream, Tensor languagePadding, Tensor visualStream, Tensor visualPadding)
    {
        var l = languageFromVisual.forward(languageStream, visualStream, visualPadding);
        var v = visualFromLanguage.forward(visualStream, languageStream, languagePadding);
        return (language.forward(l, null, languagePadding), visual.forward(v, null, visualPadding));
    }
}
