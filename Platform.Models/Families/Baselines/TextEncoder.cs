using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Baselines;

/// <summary>
/// Word ids (B, L), padded with id 0, to one vector per utterance (B, EmbeddingSize): embeddings,
/// optionally one transformer encoder layer over them (with learned positions, padding masked),
/// then the mean over the real tokens and dropout.
/// </summary>
public sealed class TextEncoder : Module<Tensor, Tensor>
{
    private const long PaddingId = 0;
    private readonly Embedding embedding;
    private readonly Embedding? positions;
    private readonly TransformerEncoderLayer? layer;
    private readonly Dropout dropout;

    public TextEncoder(TextEncoderConfig config, int vocabularySize, double dropoutRate)
    {
        embedding = register_module("embedding", new Embedding(vocabularySize, config.EmbeddingSize, padding_idx: PaddingId));
        if (config.Encoder == TextEncoderConfig.TransformerEncoder)
        {
            positions = register_module("positions", new Embedding(config.MaxTokens, config.EmbeddingSize));
            layer = register_module("layer", new TransformerEncoderLayer(config.EmbeddingSize, config.Heads,
                dim_feedforward: 2 * config.EmbeddingSize, dropout: dropoutRate, batch_first: true));
        }
        dropout = register_module("dropout", new Dropout(dropoutRate));
        OutputSize = config.EmbeddingSize;
    }

    public int OutputSize { get; }

    public override Tensor forward(Tensor tokens)
    {
        var padding = tokens.eq(PaddingId);
        var x = embedding.forward(tokens);
        if (layer is not null)
        {
            x = x + positions!.forward(torch.arange(tokens.size(1)).unsqueeze(0));
            x = layer.forward(x, null, padding);
        }
        // Every utterance has at least one real token (BaselinesDataset), so the count is >= 1.
        var keep = padding.logical_not().to(torch.float32).unsqueeze(2);
        var pooled = (x * keep).sum(1) / keep.sum(1);
        return dropout.forward(pooled);
    }
}
