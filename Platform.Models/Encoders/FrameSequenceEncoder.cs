using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Encoders;

/// <summary>
/// The trainable sequence encoder over feature frames: log-mel frames (the scratch audio slot) or
/// a frozen pretrained encoder's cached hidden states (the pretrained audio and text slots).
/// Frames are projected to Size, averaged over FrameStride frames (a cheap downsampling; a position
/// is padding only when all its frames are), given learned positions, then Layers transformer
/// encoder layers.
/// </summary>
public sealed class FrameSequenceEncoder : Module<Tensor, Tensor, EncodedSequence>, IAudioEncoderSlot, ITextEncoderSlot
{
    private readonly Linear projection;
    private readonly Embedding positions;
    private readonly ModuleList<TransformerEncoderLayer> layers;
    private readonly int stride;

    /// <param name="frameSize">width of a frame (mel bins, or the pretrained encoder's hidden size)</param>
    /// <param name="stride">frames averaged into one position (the config's FrameStride for audio; 1 keeps every text token)</param>
    public FrameSequenceEncoder(EncoderSlotConfig config, int frameSize, double dropout, int? stride = null)
    {
        this.stride = stride ?? config.FrameStride;
        projection = register_module("projection", new Linear(frameSize, config.Size));
        positions = register_module("positions", new Embedding((config.MaxLength + this.stride - 1) / this.stride, config.Size));
        layers = register_module("layers", new ModuleList<TransformerEncoderLayer>());
        for (var i = 0; i < config.Layers; i++)
            layers.append(new TransformerEncoderLayer(config.Size, config.Heads, dim_feedforward: 2 * config.Size, dropout: dropout, batch_first: true));
        (OutputSize, MaxLength) = (config.Size, config.MaxLength);
    }

    public int OutputSize { get; }

    /// <summary>Frames kept per utterance.</summary>
    public int MaxLength { get; }

    public EncodedSequence Encode(Tensor frames, Tensor padding) => forward(frames, padding);

    public EncodedSequence Encode(TextInput input) =>
        forward(input.Features ?? throw new ArgumentException("a pretrained text slot needs the transcript's cached features in the batch"), input.Padding!);

    public override EncodedSequence forward(Tensor frames, Tensor padding)
    {
        if (frames.size(1) > MaxLength) (frames, padding) = (frames.narrow(1, 0, MaxLength), padding.narrow(1, 0, MaxLength));
        var pooled = new EncodedSequence(projection.forward(frames), padding).BlockMeans(stride);
        var (x, blockPadding) = (pooled.Values, pooled.Padding);
        var blocks = x.size(1);
        x = x + positions.forward(torch.arange(blocks).unsqueeze(0));
        foreach (var layer in layers) x = layer.forward(x, null, blockPadding);
        return new EncodedSequence(x, blockPadding);
    }
}
