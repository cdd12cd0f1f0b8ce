using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Encoders;

/// <summary>The from-scratch text slot: word embeddings plus learned positions, then Layers transformer encoder layers (padding masked).</summary>
public sealed class ScratchTextEncoder : Module<Tensor, EncodedSequence>, ITextEncoderSlot
{
    private const long PaddingId = 0;
    private readonly Embedding embedding;
    private readonly Embedding positions;
    private readonly ModuleList<TransformerEncoderLayer> layers;

    public ScratchTextEncoder(EncoderSlotConfig config, int vocabularySize, double dropout)
    {
        embedding = register_module("embedding", new Embedding(vocabularySize, config.Size, padding_idx: PaddingId));
        positions = register_module("positions", new Embedding(config.MaxLength, config.Size));
        layers = register_module("layers", new ModuleList<TransformerEncoderLayer>());
        for (var i = 0; i < config.Layers; i++)
            layers.append(new TransformerEncoderLayer(config.Size, config.Heads, dim_feedforward: 2 * config.Size, dropout: dropout, batch_first: true));
        (OutputSize, MaxLength) = (config.Size, config.MaxLength);
    }

    public int OutputSize { get; }

    public int MaxLength { get; }

    public EncodedSequence Encode(TextInput input) => forward(input.Tokens ?? throw new ArgumentException("the scratch text slot needs word ids in the batch"));

    public override EncodedSequence forward(Tensor tokens)
    {
        if (tokens.size(1) > MaxLength) tokens = tokens.narrow(1, 0, MaxLength);
        var padding = tokens.eq(PaddingId);
        var x = embedding.forward(tokens) + positions.forward(torch.arange(tokens.size(1)).unsqueeze(0));
        foreach (var layer in layers) x = layer.forward(x, null, padding);
        return new EncodedSequence(x, padding);
    }
}
