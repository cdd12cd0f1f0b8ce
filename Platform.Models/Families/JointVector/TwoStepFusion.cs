using EmotionLab.Models.Experiments;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// TMF, the two-step multi-modal fusion (EPC paper, 2.5; its second step is the ERC paper's JFM).
/// Step one, with text and audio: <see cref="FirstStepFusion"/> (audio queries, text keys and
/// values) gives F_{t,a}, the language-side stream; with one modality that stream is F_t or F_a.
/// Step two fuses the language-side stream with the mel-spectrogram patches (F_m, a ViT stream),
/// each stream led by a learned CLS token (the papers read the CLS outputs):
/// <list type="bullet">
/// <item>jfm: N <see cref="JointFusionBlock"/>s (with or without joint vectors); both CLS outputs;</item>
/// <item>cfa: N <see cref="CfaBlock"/>s; both CLS outputs;</item>
/// <item>concat: the mean of the language-side stream concatenated with the CLS output of a ViT of N layers, one vector;</item>
/// <item>w/o JFM: late fusion, the mean of the language-side stream and the CLS output of a separate ViT of N layers, each to its own classifier;</item>
/// <item>w/o TMF: no second step, the mean of F_{t,a};</item>
/// <item>text only (no mel): the fusion module reduces to its language transformer, N layers over [CLS; F_t], the CLS output.</item>
/// </list>
/// The output is the representation(s) the classifiers read; ICL reads their concatenation.
/// </summary>
public sealed class TwoStepFusion : Module
{
    private enum SecondStep { None, LanguageOnly, Blocks, LateFusion, Concat }

    private readonly SecondStep secondStep;
    private readonly FirstStepFusion? firstStep;
    private readonly MelPatchEmbedding? patchEmbedding;
    private readonly Parameter? languageCls, visualCls;
    private readonly ModuleList<Module>? blocks;
    private readonly ModuleList<TransformerEncoderLayer>? layers;

    public TwoStepFusion(JointVectorConfig config, string modalities, int melBins)
    {
        var (d, heads, dropout) = (config.HiddenSize, config.Heads, config.Dropout);
        var (hasText, hasAudio) = (Modalities.UsesText(modalities), Modalities.UsesAudio(modalities));
        if (hasText && hasAudio) firstStep = register_module("first_step", new FirstStepFusion(d, heads, config.ExtractorLayers, dropout));

        secondStep = !hasAudio ? SecondStep.LanguageOnly
            : !config.UseTmf ? SecondStep.None
            : !config.UseJfm ? SecondStep.LateFusion
            : config.Fusion == JointVectorConfig.ConcatFusion ? SecondStep.Concat
            : SecondStep.Blocks;
        Kind = secondStep switch
        {
            SecondStep.LanguageOnly => "language transformer (text only)",
            SecondStep.None => "first step only (w/o TMF)",
            SecondStep.LateFusion => "late fusion with a separate ViT (w/o JFM)",
            SecondStep.Concat => "concatenation",
            _ when config.Fusion == JointVectorConfig.CfaFusion => "CFA blocks",
            _ => config.UseJointVector ? "JF blocks with joint vectors" : "JF blocks without joint vectors",
        };

        if (secondStep is SecondStep.Blocks or SecondStep.LateFusion or SecondStep.Concat)
        {
            patchEmbedding = register_module("patch_embedding", new MelPatchEmbedding(config.PatchSize, melBins, config.Audio.MaxLength, d));
            visualCls = register_parameter("visual_cls", new Parameter(torch.empty([1, 1, d])));
            init.normal_(visualCls, 0.02);
        }
        if (secondStep is SecondStep.Blocks or SecondStep.LanguageOnly)
        {
            languageCls = register_parameter("language_cls", new Parameter(torch.empty([1, 1, d])));
            init.normal_(languageCls, 0.02);
        }
        if (secondStep == SecondStep.Blocks)
        {
            blocks = register_module("blocks", new ModuleList<Module>());
            for (var i = 0; i < config.Blocks; i++)
                blocks.append(config.Fusion == JointVectorConfig.CfaFusion
                    ? new CfaBlock(d, heads, dropout)
                    : new JointFusionBlock(d, heads, dropout, config.UseJointVector ? config.JointVectorLength : null));
        }
        else if (secondStep is SecondStep.LateFusion or SecondStep.Concat or SecondStep.LanguageOnly)
        {
            // The ViT of concat and w/o JFM, or the language transformer of text only: N plain layers.
            layers = register_module("layers", new ModuleList<TransformerEncoderLayer>());
            for (var i = 0; i < config.Blocks; i++)
                layers.append(new TransformerEncoderLayer(d, heads, dim_feedforward: 2 * d, dropout: dropout, batch_first: true));
        }
        RepresentationSizes = secondStep switch
        {
            SecondStep.Blocks or SecondStep.LateFusion => [d, d],
            SecondStep.Concat => [2 * d],
            _ => [d],
        };
    }

    /// <summary>What the second step is, in words (for the run log).</summary>
    public string Kind { get; }

    /// <summary>Whether the second step reads mel-spectrogram patches.</summary>
    public bool UsesPatches => patchEmbedding is not null;

    /// <summary>Width of each representation <see cref="forward"/> returns, one classifier each.</summary>
    public IReadOnlyList<int> RepresentationSizes { get; }

    /// <param name="text">F_t (B, L, D) and its padding, or null without text</param>
    /// <param name="audio">F_a (B, P, D) and its padding, or null without audio</param>
    /// <param name="patches">mel patches (B, Q, size²) and their padding, or null when <see cref="UsesPatches"/> is false</param>
    public IReadOnlyList<Tensor> forward(Tensor? text, Tensor? textPadding, Tensor? audio, Tensor? audioPadding, Tensor? patches, Tensor? patchPadding)
    {
        // Step one: the language-side stream.
        var (stream, padding) = firstStep is not null
            ? (firstStep.forward(audio!, text!, textPadding!), audioPadding!)
            : text is not null ? (text, textPadding!) : (audio ?? throw new ArgumentException("the fusion needs text or audio features"), audioPadding!);

        switch (secondStep)
        {
            case SecondStep.None:
                return [MeanOf(stream, padding)];
            case SecondStep.LanguageOnly:
            {
                var (x, p) = WithCls(languageCls!, stream, padding);
                foreach (var layer in layers!) x = layer.forward(x, null, p);
                return [x.select(1, 0)];
            }
        }

        if (patches is null || patchPadding is null) throw new ArgumentException("the mel-spectrogram fusion needs the batch's mel patches");
        var (visual, visualPadding) = WithCls(visualCls!, patchEmbedding!.forward(patches), patchPadding);
        if (secondStep == SecondStep.Blocks)
        {
            var (language, languagePadding) = WithCls(languageCls!, stream, padding);
            foreach (var block in blocks!) (language, visual) = ((IFusionBlock)block).Forward(language, languagePadding, visual, visualPadding);
            return [language.select(1, 0), visual.select(1, 0)];
        }

        foreach (var layer in layers!) visual = layer.forward(visual, null, visualPadding);
        var (pooled, melCls) = (MeanOf(stream, padding), visual.select(1, 0));
        return secondStep == SecondStep.Concat ? [torch.cat([pooled, melCls], 1)] : [pooled, melCls];
    }

    private static (Tensor Stream, Tensor Padding) WithCls(Tensor cls, Tensor stream, Tensor padding)
    {
        var batch = stream.size(0);
        var clsPadding = torch.zeros([batch, 1], ScalarType.Bool, stream.device);
        return (torch.cat([cls.expand(batch, 1, cls.size(2)), stream], 1), torch.cat([clsPadding, padding], 1));
    }

    // The mean over the real positions (the papers name no pooling for a stream without a CLS).
    private static Tensor MeanOf(Tensor stream, Tensor padding)
    {
        var keep = padding.logical_not().to(torch.float32).unsqueeze(2);
        return (stream * keep).sum(1) / keep.sum(1).clamp(min: 1);
    }
}
