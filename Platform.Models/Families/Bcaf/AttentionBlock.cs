using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// One self- or cross-attention layer of the bimodal attention network (eqs. 4-12): bias-free
/// projections W^Q, W^K, W^V, softmax(Q K^T / sqrt(d_k)) V (no output projection, as in the
/// equations; with more than one head the heads are concatenated), H = LayerNorm(X + attended),
/// then AddNorm: LayerNorm(H + FeedForward(H)). Self-attention takes queries, keys and values
/// from one modality; cross-attention takes the keys and values from the other. The queries come
/// from the modality the result is added to: eqs. (7)-(12) pair Q_l with H_a on single utterance
/// vectors, which on token and frame sequences of different lengths cannot be added, so here audio
/// queries read text for h_a^c and text queries read audio for h_l^c.
/// </summary>
public sealed class AttentionBlock : Module<EncodedSequence, EncodedSequence, EncodedSequence>
{
    private readonly Linear query, key, value;
    private readonly LayerNorm norm, addNorm;
    private readonly Sequential feedForward;
    private readonly Dropout dropout;
    private readonly int heads;

    /// <param name="feedForwardSize">the FFN's hidden width (the paper gives none; 2 x width here)</param>
    public AttentionBlock(int width, int heads, int feedForwardSize, double dropoutRate)
    {
        this.heads = heads;
        query = register_module("query", new Linear(width, width, hasBias: false));
        key = register_module("key", new Linear(width, width, hasBias: false));
        value = register_module("value", new Linear(width, width, hasBias: false));
        norm = register_module("norm", new LayerNorm(width));
        feedForward = register_module("feed_forward", new Sequential(new Linear(width, feedForwardSize), new ReLU(), new Dropout(dropoutRate), new Linear(feedForwardSize, width)));
        addNorm = register_module("add_norm", new LayerNorm(width));
        dropout = register_module("dropout", new Dropout(dropoutRate));
    }

    /// <summary>The queries' sequence enriched from <paramref name="source"/> (itself for self-attention); the queries' padding is kept.</summary>
    public override EncodedSequence forward(EncodedSequence queries, EncodedSequence source)
    {
        var q = SplitHeads(query.forward(queries.Values), heads);
        var k = SplitHeads(key.forward(source.Values), heads);
        var v = SplitHeads(value.forward(source.Values), heads);
        // True where a key may be attended: the source's real positions (every item has at least one).
        var allowed = source.Padding.logical_not().unsqueeze(1).unsqueeze(1);
        var attended = MergeHeads(functional.scaled_dot_product_attention(q, k, v, allowed));
        var h = norm.forward(queries.Values + dropout.forward(attended));
        return new EncodedSequence(addNorm.forward(h + dropout.forward(feedForward.forward(h))), queries.Padding);
    }

    /// <summary>(B, T, D) to (B, heads, T, D / heads).</summary>
    internal static Tensor SplitHeads(Tensor x, int heads) => x.reshape(x.size(0), x.size(1), heads, x.size(2) / heads).transpose(1, 2);

    /// <summary>(B, heads, T, d) to (B, T, heads * d).</summary>
    internal static Tensor MergeHeads(Tensor x) => x.transpose(1, 2).reshape(x.size(0), x.size(2), x.size(1) * x.size(3));
}
