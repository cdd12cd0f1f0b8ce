namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// torch.nn.TransformerEncoderLayer: self-attention and a feed-forward block, each with
        /// dropout, a residual and LayerNorm (after by default; before with norm_first).
        /// </summary>
        public sealed class TransformerEncoderLayer : Module<Tensor, Tensor>
        {
            private readonly bool normFirst, geluActivation;

            public TransformerEncoderLayer(long d_model, long nhead, long dim_feedforward = 2048, double dropout = 0.1, string activation = "relu",
                double layer_norm_eps = 1e-5, bool batch_first = false, bool norm_first = false)
            {
                if (activation is not ("relu" or "gelu")) throw new TorchException($"TransformerEncoderLayer: activation must be relu or gelu, got '{activation}'");
                (normFirst, geluActivation) = (norm_first, activation == "gelu");
                self_attn = register_module("self_attn", new MultiheadAttention(d_model, nhead, dropout, batch_first: batch_first));
                linear1 = register_module("linear1", new Linear(d_model, dim_feedforward));
                this.dropout = register_module("dropout", new Dropout(dropout));
                linear2 = register_module("linear2", new Linear(dim_feedforward, d_model));
                norm1 = register_module("norm1", new LayerNorm(d_model, layer_norm_eps));
                norm2 = register_module("norm2", new LayerNorm(d_model, layer_norm_eps));
                dropout1 = register_module("dropout1", new Dropout(dropout));
                dropout2 = register_module("dropout2", new Dropout(dropout));
            }

            public MultiheadAttention self_attn { get; }
            public Linear linear1 { get; }
            public Dropout dropout { get; }
            public Linear linear2 { get; }
            public LayerNorm norm1 { get; }
            public LayerNorm norm2 { get; }
            public Dropout dropout1 { get; }
            public Dropout dropout2 { get; }

            public override Tensor forward(Tensor src) => forward(src, null, null);

            /// <param name="src_mask">attention mask (True or -inf = not allowed)</param>
            /// <param name="src_key_padding_mask">(B, S), True at padding positions</param>
            public Tensor forward(Tensor src, Tensor? src_mask, Tensor? src_key_padding_mask)
            {
                if (normFirst)
                {
                    var x = src + SelfAttention(norm1.forward(src), src_mask, src_key_padding_mask);
                    return x + FeedForward(norm2.forward(x));
                }
                var y = norm1.forward(src + SelfAttention(src, src_mask, src_key_padding_mask));
                return norm2.forward(y + FeedForward(y));
            }

            private Tensor SelfAttention(Tensor x, Tensor? mask, Tensor? keyPaddingMask)
            {
                var (attended, _) = self_attn.forward(x, x, x, keyPaddingMask, need_weights: false, attn_mask: mask);
                return dropout1.forward(attended);
            }

            private Tensor FeedForward(Tensor x)
            {
                var hidden = linear1.forward(x);
                hidden = geluActivation ? hidden.gelu() : hidden.relu();
                return dropout2.forward(linear2.forward(dropout.forward(hidden)));
            }
        }
    }
}
