using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Encoders;

/// <summary>
/// The tuned part of a pretrained speech encoder whose last N layers train: it reads hidden state
/// L - N from the feature cache (what the frozen layers below always give) and runs the last N
/// layers, trainable, to the last hidden state. The frozen layers never run during training. With
/// N = 0 the cached last hidden state passes through.
/// </summary>
public sealed class PretrainedSpeechTail : Module<Tensor, Tensor, EncodedSequence>, IAudioEncoderSlot
{
    private readonly PretrainedSpeechModel? encoder;
    private readonly int firstHiddenState, maxLength;

    /// <param name="encoder">the loaded encoder (its frozen layers are kept but never run); null when nothing trains</param>
    public PretrainedSpeechTail(PretrainedSpeechModel? encoder, int hiddenSize, int trainableLayers, int maxLength)
    {
        if (trainableLayers > 0 && encoder is null) throw new ArgumentException("tuning the last layers needs the encoder");
        if (encoder is not null)
        {
            if (trainableLayers > encoder.LayerCount)
                throw new ArgumentException($"{encoder.ModelType} has {encoder.LayerCount} layers; {trainableLayers} cannot train");
            encoder.FreezeAllButLastLayers(trainableLayers);
            this.encoder = register_module("encoder", encoder);
            firstHiddenState = encoder.LayerCount - trainableLayers;
        }
        (OutputSize, this.maxLength) = (hiddenSize, maxLength);
    }

    /// <summary>The hidden state the feature cache must hold: L - N (L when nothing trains).</summary>
    public static int CachedHiddenState(int layerCount, int trainableLayers) => layerCount - trainableLayers;

    public int OutputSize { get; }

    public EncodedSequence Encode(Tensor frames, Tensor padding) => forward(frames, padding);

    public override EncodedSequence forward(Tensor hidden, Tensor padding)     // (B, T, D) cached hidden state L - N, (B, T)
    {
        if (hidden.size(1) > maxLength) (hidden, padding) = (hidden.narrow(1, 0, maxLength), padding.narrow(1, 0, maxLength));
        var last = encoder is null ? hidden : encoder.forward_from(firstHiddenState, hidden, padding);
        return new EncodedSequence(last, padding);
    }
}
