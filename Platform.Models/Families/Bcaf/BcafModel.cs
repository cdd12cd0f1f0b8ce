using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// The BCAF model (Fig. 1-2). Unimodal representation: the text and audio slots encode the
/// transcript and the audio to sequences (the paper: RoBERTa-large and wav2vec 2.0-large, which the
/// pretrained slots load from the lab's folders; the from-scratch slots stand in without them), whose means are the utterance representations H_l, H_a. Connection attention
/// fusion: the ICN on H_a, H_l; the BAN on the sequences; the CAN on the BAN's self-attention
/// sequences and the ICN's latents. Classification: audio and text heads on h_a^s, h_l^s, the
/// bimodal classifier on h_a^c + h_l^c + h_a^* + h_l^* (concatenated). A module switched off
/// passes its inputs through (w/o BAN: h^s = h^c = H; w/o CAN: h^* = h^s), so the classifier's
/// input keeps its width. Evaluation scores <see cref="forward"/>'s decision; training minimises
/// eq. (18) through <see cref="TrainingLoss"/>.
/// </summary>
public sealed class BcafModel : Module<BcafBatch, Tensor>, ITrainingObjective<BcafBatch>
{
    private readonly ITextEncoderSlot text;
    private readonly IAudioEncoderSlot audio;
    private readonly InteractiveConnectionNetwork? icn;
    private readonly BimodalAttentionNetwork? ban;
    private readonly CorrelativeAttentionNetwork? can;
    private readonly BcafHeads heads;
    private readonly double alpha, beta, mu;
    private readonly bool averageDecision;

    /// <param name="vocabularySize">words of the train-split vocabulary (scratch text slot)</param>
    /// <param name="textFeatureSize">width of the cached token features (pretrained text slot)</param>
    /// <param name="frameSize">width of an audio frame: mel bins, or the pretrained speech encoder's hidden size</param>
    public BcafModel(BcafConfig config, int vocabularySize, int textFeatureSize, int frameSize, int classes)
    {
        text = EncoderSlots.Text(config.Text, vocabularySize, textFeatureSize, config.Dropout);
        audio = EncoderSlots.Audio(config.Audio, frameSize, config.Dropout);
        register_module("text", (Module)text);
        register_module("audio", (Module)audio);
        if (text.OutputSize != audio.OutputSize)
            throw new ArgumentException($"BCAF needs text and audio encodings of one width, got {text.OutputSize} and {audio.OutputSize}");
        var width = text.OutputSize;

        if (config.UseIcn) icn = register_module("icn", new InteractiveConnectionNetwork(width, config.LatentSize, config.Dropout));
        if (config.UseBan) ban = register_module("ban", new BimodalAttentionNetwork(config, width));
        if (config.UseCan)
            can = register_module("can", new CorrelativeAttentionNetwork(width, config.UseIcn ? config.LatentSize : width, config.Heads, config.Segments, config.LambdaInit, config.Dropout));
        heads = register_module("heads", new BcafHeads(width, 4 * width, classes, config.Dropout));
        (alpha, beta, mu, averageDecision) = (config.Alpha, config.Beta, config.Mu, config.Decision == BcafConfig.AverageDecision);
    }

    /// <summary>The final decision's logits (B, classes): log of the three heads' mean probabilities, or the bimodal head's logits.</summary>
    public override Tensor forward(BcafBatch batch) => Compute(batch).Logits;

    /// <summary>The whole forward pass, with every part the loss needs.</summary>
    public BcafOutputs Compute(BcafBatch batch)
    {
        var textSequence = text.Encode(batch.Text);
        var audioSequence = audio.Encode(batch.Frames, batch.FramePadding);
        var (ha, hl) = (audioSequence.MeanPooled(), textSequence.MeanPooled());

        var connection = icn?.forward(ha, hl);
        var attended = ban?.forward(audioSequence, textSequence) ?? BimodalAttentionOutput.PassThrough(audioSequence, textSequence);
        var (selfA, selfL) = (attended.SelfAudio.MeanPooled(), attended.SelfText.MeanPooled());

        Tensor? corA = null, corL = null;
        var (correlativeA, correlativeL) = (selfA, selfL);
        if (can is not null)
        {
            (corA, corL, _) = can.forward(attended.SelfAudio, attended.SelfText, connection?.LatentAudio ?? ha, connection?.LatentText ?? hl);
            (correlativeA, correlativeL) = (selfA * corA.unsqueeze(1), selfL * corL.unsqueeze(1));
        }

        var aggregated = torch.cat([attended.CrossAudio.MeanPooled(), attended.CrossText.MeanPooled(), correlativeA, correlativeL], 1);
        var (audioLogits, textLogits, bimodalLogits) = heads.forward(selfA, selfL, aggregated);
        var logits = averageDecision
            ? ((audioLogits.softmax(1) + textLogits.softmax(1) + bimodalLogits.softmax(1)) / 3).clamp(min: 1e-12).log()
            : bimodalLogits;
        return new BcafOutputs(ha, hl, connection, corA, corL, audioLogits, textLogits, bimodalLogits, logits);
    }

    /// <summary>Eq. (18) and its parts for one batch's outputs.</summary>
    public BcafLoss Loss(BcafOutputs outputs, Tensor targets)
    {
        var la = functional.cross_entropy(outputs.AudioLogits, targets);
        var ll = functional.cross_entropy(outputs.TextLogits, targets);
        var lm = functional.cross_entropy(outputs.BimodalLogits, targets);
        var total = beta * (la + ll) + lm;
        Tensor? lc = null;
        if (outputs.Connection is { } connection)
        {
            lc = InteractiveConnectionNetwork.ConnectionLoss(outputs.AudioRepresentation, outputs.TextRepresentation, connection, mu);
            total = alpha * lc + total;
        }
        return new BcafLoss(total, lc, la, ll, lm);
    }

    public Tensor TrainingLoss(BcafBatch inputs, Tensor targets) => Loss(Compute(inputs), targets).Total;
}
