using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// A post-norm transformer layer whose attention reads another sequence: x = LN(x + attn(x, y, y)),
/// then x = LN(x + FFN(x)). The first-step fusion and CFA are made of it.
/// </summary>
public sealed class CrossAttentionLayer : Module
{
    private readonly MultiheadAttention attention;
    private readonly Linear linear1, linear2;
    private readonly LayerNorm norm1, norm2;
    private readonly Dropout dropout1, dropout2, dropout;

    public CrossAttentionLayer(int size, int heads, double dropoutRate)
    {
        attention = register_module("attention", new MultiheadAttention(size, heads, dropoutRate, batch_first: true));
        linear1 = register_module("linear1", new Linear(size, 2 * size));
        linear2 = register_module("linear2", new Linear(2 * size, size));
        norm1 = register_module("norm1", new LayerNorm(size));
        norm2 = register_module("norm2", new LayerNorm(size));
        dropout = register_module("dropout", new Dropout(dropoutRate));
        dropout1 = register_module("dropout1", new Dropout(dropoutRate));
        dropout2 = register_module("dropout2", new Dropout(dropoutRate));
    }

    /// <param name="query">(B, Lq, D)</param>
    /// <param name="source">(B, Ls, D) with its padding (B, Ls), true at padding</param>
    public Tensor forward(Tensor query, Tensor source, Tensor? sourcePadding)
    {
        var (attended, _) = attention.forward(query, source, source, sourcePadding, need_weights: false);
        var x = norm1.forward(query + dropout1.forward(attended));
        return norm2.forward(x + dropout2.forward(linear2.forward(dropout.forward(linear1.forward(x).relu()))));
    }
}
