namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// torch.nn.MultiheadAttention: packed in-projection, per-head scaled dot-product
        /// attention, out-projection. Masks follow PyTorch's MHA: a bool attn_mask or
        /// key_padding_mask is True where attention is NOT allowed; a float mask is added.
        /// </summary>
        public sealed class MultiheadAttention : Module
        {
            private readonly long embedDim, numHeads, headDim;
            private readonly double dropoutP;
            private readonly bool batchFirst;

            public MultiheadAttention(long embed_dim, long num_heads, double dropout = 0, bool hasBias = true, bool batch_first = false)
            {
                if (embed_dim % num_heads != 0) throw new TorchException($"MultiheadAttention: embed_dim {embed_dim} is not divisible by num_heads {num_heads}");
                (embedDim, numHeads, headDim, dropoutP, batchFirst) = (embed_dim, num_heads, embed_dim / num_heads, dropout, batch_first);
                in_proj_weight = register_parameter("in_proj_weight", new Parameter(empty([3 * embed_dim, embed_dim])));
                init.xavier_uniform_(in_proj_weight);
                if (hasBias) init.zeros_(in_proj_bias = register_parameter("in_proj_bias", new Parameter(empty([3 * embed_dim]))));
                else register_absent_parameter("in_proj_bias");
                out_proj = register_module("out_proj", new Linear(embed_dim, embed_dim, hasBias));
                if (out_proj.bias is { } b) init.zeros_(b);
            }

            public Parameter in_proj_weight { get; }
            public Parameter? in_proj_bias { get; }
            public Linear out_proj { get; }

            /// <summary>Returns the attended output and, with need_weights, the attention weights (averaged over heads unless asked not to).</summary>
            public (Tensor output, Tensor? weights) forward(Tensor query, Tensor key, Tensor value, Tensor? key_padding_mask = null,
                bool need_weights = true, Tensor? attn_mask = null, bool average_attn_weights = true)
            {
                using var scope = NewDisposeScope();
                bool selfAttention = ReferenceEquals(query, key) && ReferenceEquals(key, value);
                bool sharedKeyValue = ReferenceEquals(key, value);
                if (!batchFirst)
                {
                    query = query.transpose(0, 1);
                    key = selfAttention ? query : key.transpose(0, 1);
                    value = sharedKeyValue ? key : value.transpose(0, 1);
                }
                var (batch, targetLen, sourceLen) = (query.size(0), query.size(1), key.size(1));

                Tensor q, k, v;
                if (selfAttention)
                {
                    var qkv = functional.linear(query, in_proj_weight, in_proj_bias).chunk(3, -1);
                    (q, k, v) = (qkv[0], qkv[1], qkv[2]);
                }
                else
                {
                    var w = in_proj_weight.chunk(3, 0);
                    var b = in_proj_bias?.chunk(3, 0);
                    q = functional.linear(query, w[0], b?[0]);
                    if (ReferenceEquals(key, value))
                    {
                        // Keys and values from one source: one GEMM for both.
                        var kv = functional.linear(key, in_proj_weight.slice(0, embedDim, 3 * embedDim), in_proj_bias?.slice(0, embedDim, 3 * embedDim)).chunk(2, -1);
                        (k, v) = (kv[0], kv[1]);
                    }
                    else
                    {
                        k = functional.linear(key, w[1], b?[1]);
                        v = functional.linear(value, w[2], b?[2]);
                    }
                }
                q = SplitHeads(q, batch, targetLen);
                k = SplitHeads(k, batch, sourceLen);
                v = SplitHeads(v, batch, sourceLen);

                var mask = CombineMasks(attn_mask, key_padding_mask, batch, targetLen, sourceLen);
                Tensor attended;
                Tensor? weights = null;
                if (need_weights)
                {
                    var scores = q.matmul(k.mT) / Math.Sqrt(headDim);
                    if (mask is not null) scores = scores + mask;
                    weights = functional.dropout(scores.softmax(-1), dropoutP, training && dropoutP > 0);
                    attended = weights.matmul(v);
                    if (average_attn_weights) weights = weights.mean(1);
                }
                else attended = functional.scaled_dot_product_attention(q, k, v, mask, training ? dropoutP : 0);

                var output = out_proj.forward(attended.transpose(1, 2).reshape(batch, targetLen, embedDim));
                if (!batchFirst) output = output.transpose(0, 1);
                return (output.MoveToOuterDisposeScope(), weights?.MoveToOuterDisposeScope());
            }

            private Tensor SplitHeads(Tensor x, long batch, long length) => x.reshape(batch, length, numHeads, headDim).transpose(1, 2);

            // One additive float mask of shape (B or 1, H or 1, L, S), or null.
            private Tensor? CombineMasks(Tensor? attnMask, Tensor? keyPaddingMask, long batch, long targetLen, long sourceLen)
            {
                Tensor? mask = null;
                if (attnMask is not null)
                {
                    var additive = AsAdditive(attnMask);
                    mask = attnMask.dim() == 2 ? additive.view(1, 1, targetLen, sourceLen) : additive.view(batch, numHeads, targetLen, sourceLen);
                }
                if (keyPaddingMask is not null)
                {
                    var padding = AsAdditive(keyPaddingMask).view(batch, 1, 1, sourceLen);
                    mask = mask is null ? padding : mask + padding;
                }
                return mask;
            }

            private static Tensor AsAdditive(Tensor mask) =>
                mask.dtype == ScalarType.Bool ? zeros(mask.shape, float32, mask.device).masked_fill(mask, double.NegativeInfinity) : mask;
        }
    }
}
