using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// The joint-vector EPC/ERC network: <see cref="TextFeatures"/> (conversation with speaker tokens,
/// KWRT, extractor) and <see cref="AudioFeatures"/> (audio slot, prosody enhancement) for the
/// modalities of the spec, <see cref="TwoStepFusion"/> with the mel-spectrogram, and
/// <see cref="ClassifierHeads"/> whose logits are averaged. The training loss is cross-entropy on
/// the averaged logits plus, with ICL, IclWeight times the supervised contrastive loss over the
/// concatenated fused features (ERC paper, eqs. 5-7); evaluation scores the logits.
/// </summary>
public sealed class JointVectorModel : Module<JointVectorBatch, Tensor>, ITrainingObjective<JointVectorBatch>
{
    private readonly TextFeatures? text;
    private readonly AudioFeatures? audio;
    private readonly TwoStepFusion fusion;
    private readonly ClassifierHeads heads;
    private readonly bool useIcl;
    private readonly double iclWeight, iclTemperature;

    /// <param name="vocabularySize">tokens of the train-split vocabulary, speaker tokens included (text modalities)</param>
    /// <param name="melBins">log-mel bins of the mel-spectrogram patches (audio modalities)</param>
    /// <param name="audioFrameSize">width of the audio slot's frames: mel bins, or a pretrained speech encoder's hidden size</param>
    public JointVectorModel(JointVectorConfig config, string modalities, int vocabularySize, int melBins, int classes, int? audioFrameSize = null)
    {
        if (Modalities.UsesText(modalities))
            text = register_module("text", new TextFeatures(config, EncoderSlots.Text(config.Text, vocabularySize, 0, config.Dropout)));
        if (Modalities.UsesAudio(modalities))
            audio = register_module("audio", new AudioFeatures(config, EncoderSlots.Audio(config.Audio, audioFrameSize ?? melBins, config.Dropout)));
        fusion = register_module("fusion", new TwoStepFusion(config, modalities, melBins));
        heads = register_module("classifier", new ClassifierHeads(fusion.RepresentationSizes, classes, config.Dropout));
        (useIcl, iclWeight, iclTemperature) = (config.UseIcl, config.IclWeight, config.IclTemperature);
    }

    public bool UsesKwrt => text?.UsesKwrt == true;
    public bool UsesProsody => audio?.UsesProsody == true;
    public bool UsesPatches => fusion.UsesPatches;

    /// <summary>The second fusion step, in words.</summary>
    public string FusionKind => fusion.Kind;

    public int Classifiers => heads.Count;

    /// <summary>The averaged logits (B, classes) and the features ICL reads (B, sum of the representation widths).</summary>
    public (Tensor Logits, Tensor Features) Run(JointVectorBatch batch)
    {
        Tensor? t = null, tPadding = null, a = null, aPadding = null;
        if (text is not null)
            (t, tPadding) = text.forward(batch.Tokens ?? throw new ArgumentException("a text modality needs word ids in the batch"),
                batch.Focus ?? throw new ArgumentException("a text modality needs the focus mask in the batch"), batch.KwrtScores);
        if (audio is not null)
            (a, aPadding) = audio.forward(batch.Frames ?? throw new ArgumentException("an audio modality needs log-mel frames in the batch"),
                batch.FramePadding!, batch.Prosody, batch.ProsodyPadding);
        var representations = fusion.forward(t, tPadding, a, aPadding, batch.Patches, batch.PatchPadding);
        var features = representations.Count == 1 ? representations[0] : torch.cat(representations, 1);
        return (heads.forward(representations), features);
    }

    public override Tensor forward(JointVectorBatch batch) => Run(batch).Logits;

    /// <summary>L_ERC (cross-entropy of the averaged logits) + IclWeight · L_ICL; cross-entropy alone without ICL.</summary>
    public Tensor TrainingLoss(JointVectorBatch inputs, Tensor targets)
    {
        var (logits, features) = Run(inputs);
        var loss = functional.cross_entropy(logits, targets);
        // A batch where no two items share a label has no positive pair: ICL has nothing to pull together there.
        if (!useIcl || iclWeight == 0 || !HasPositivePair(targets)) return loss;
        return loss + iclWeight * functional.supervised_contrastive_loss(features, targets, iclTemperature);
    }

    private static bool HasPositivePair(Tensor targets) =>
        targets.unsqueeze(1).eq(targets.unsqueeze(0)).sum().item() > targets.size(0);
}
