namespace EmotionLab.Models.Torch;

public enum Reduction { None = 0, Mean = 1, Sum = 2 }

public enum PaddingMode { Constant = 0, Reflect = 1, Replicate = 2, Circular = 3 }

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Stateless layers and losses (torch.nn.functional).</summary>
        public static class functional
        {
            public static Tensor relu(Tensor x) => x.relu();
            public static Tensor gelu(Tensor x, bool tanhApproximation = false) => x.gelu(tanhApproximation);
            public static Tensor silu(Tensor x) => x.silu();
            public static Tensor tanh(Tensor x) => x.tanh();
            public static Tensor sigmoid(Tensor x) => x.sigmoid();
            public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
            public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);

            public static Tensor linear(Tensor x, Tensor weight, Tensor? bias = null)
            {
                Native.Check(NativeMethods.elt_linear(x.HandleFor("linear"), weight.HandleFor("linear"), Tensor.HandleOrNull(bias, "linear"), out var r), "linear", x, weight, bias);
                return new Tensor(r);
            }

            public static unsafe Tensor layer_norm(Tensor x, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                IntPtr r;
                fixed (long* s = normalized_shape)
                    Native.Check(NativeMethods.elt_layer_norm(x.HandleFor("layer_norm"), s, normalized_shape.Length, Tensor.HandleOrNull(weight, "layer_norm"), Tensor.HandleOrNull(bias, "layer_norm"), eps, out r),
                        $"layer_norm(normalized_shape=[{string.Join(", ", normalized_shape)}])", x, weight, bias);
                return new Tensor(r);
            }

            /// <summary>Normalises (N, C, ...) over groups of C / groups channels, then scales and shifts per channel.</summary>
            public static Tensor group_norm(Tensor x, long num_groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                Native.Check(NativeMethods.elt_group_norm(x.HandleFor("group_norm"), num_groups, Tensor.HandleOrNull(weight, "group_norm"), Tensor.HandleOrNull(bias, "group_norm"), eps, out var r),
                    $"group_norm(num_groups={num_groups})", x, weight, bias);
                return new Tensor(r);
            }

            /// <summary>Zeroes elements with probability p and scales the rest by 1/(1-p), in training only.</summary>
            public static Tensor dropout(Tensor x, double p = 0.5, bool training = true)
            {
                if (p < 0 || p >= 1) throw new TorchException($"dropout: p must be in [0, 1), got {p}");
                Native.Check(NativeMethods.elt_dropout(x.HandleFor("dropout"), p, training ? 1 : 0, out var r), $"dropout(p={p})", x);
                return new Tensor(r);
            }

            public static Tensor embedding(Tensor indices, Tensor weight, long padding_idx = -1)
            {
                Native.Check(NativeMethods.elt_embedding(weight.HandleFor("embedding"), indices.HandleFor("embedding"), padding_idx, out var r), "embedding", indices, weight);
                return new Tensor(r);
            }

            private static unsafe Tensor Conv(int spatial, Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups)
            {
                var name = $"conv{spatial}d";
                if (stride.Length != spatial || padding.Length != spatial || dilation.Length != spatial)
                    throw new TorchException($"{name}: stride, padding and dilation need {spatial} values each");
                IntPtr r;
                fixed (long* s = stride)
                fixed (long* p = padding)
                fixed (long* d = dilation)
                    Native.Check(NativeMethods.elt_conv(spatial, x.HandleFor(name), weight.HandleFor(name), Tensor.HandleOrNull(bias, name), s, p, d, groups, out r), name, x, weight, bias);
                return new Tensor(r);
            }

            public static Tensor conv1d(Tensor x, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
                Conv(1, x, weight, bias, [stride], [padding], [dilation], groups);

            public static Tensor conv2d(Tensor x, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1) =>
                Conv(2, x, weight, bias, stride ?? [1, 1], padding ?? [0, 0], dilation ?? [1, 1], groups);

            /// <summary>Pads the last dimensions: pad = (left, right[, top, bottom, ...]) as in PyTorch.</summary>
            public static unsafe Tensor pad(Tensor x, long[] pad, PaddingMode mode = PaddingMode.Constant, double value = 0)
            {
                IntPtr r;
                fixed (long* p = pad)
                    Native.Check(NativeMethods.elt_pad(x.HandleFor("pad"), p, pad.Length, (int)mode, value, out r), $"pad([{string.Join(", ", pad)}], {mode})", x);
                return new Tensor(r);
            }

            public static Tensor one_hot(Tensor indices, long num_classes = -1)
            {
                Native.Check(NativeMethods.elt_one_hot(indices.HandleFor("one_hot"), num_classes, out var r), $"one_hot(num_classes={num_classes})", indices);
                return new Tensor(r);
            }

            public static Tensor cosine_similarity(Tensor a, Tensor b, long dim = 1, double eps = 1e-8)
            {
                Native.Check(NativeMethods.elt_cosine_similarity(a.HandleFor("cosine_similarity"), b.HandleFor("cosine_similarity"), dim, eps, out var r), $"cosine_similarity(dim={dim})", a, b);
                return new Tensor(r);
            }

            /// <summary>x / max(||x||_p, eps) along dim: L2 normalisation by default.</summary>
            public static Tensor normalize(Tensor x, double p = 2, long dim = 1, double eps = 1e-12)
            {
                Native.Check(NativeMethods.elt_normalize(x.HandleFor("normalize"), p, dim, eps, out var r), $"normalize(p={p}, dim={dim})", x);
                return new Tensor(r);
            }

            /// <summary>
            /// softmax(q k^T / sqrt(E) + mask) v. A bool mask is True where attention is allowed; a
            /// float mask is added to the scores (PyTorch 2's semantics).
            /// </summary>
            public static Tensor scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask = null, double dropout_p = 0, bool is_causal = false)
            {
                Native.Check(NativeMethods.elt_sdpa(query.HandleFor("scaled_dot_product_attention"), key.HandleFor("scaled_dot_product_attention"), value.HandleFor("scaled_dot_product_attention"),
                    Tensor.HandleOrNull(attn_mask, "scaled_dot_product_attention"), dropout_p, is_causal ? 1 : 0, out var r), "scaled_dot_product_attention", query, key, value, attn_mask);
                return new Tensor(r);
            }

            public static Tensor cross_entropy(Tensor logits, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean, double label_smoothing = 0)
            {
                Native.Check(NativeMethods.elt_cross_entropy(logits.HandleFor("cross_entropy"), target.HandleFor("cross_entropy"), Tensor.HandleOrNull(weight, "cross_entropy"), ignore_index, (int)reduction, label_smoothing, out var r),
                    "cross_entropy", logits, target, weight);
                return new Tensor(r);
            }

            public static Tensor nll_loss(Tensor log_probs, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean)
            {
                Native.Check(NativeMethods.elt_nll_loss(log_probs.HandleFor("nll_loss"), target.HandleFor("nll_loss"), Tensor.HandleOrNull(weight, "nll_loss"), ignore_index, (int)reduction, out var r),
                    "nll_loss", log_probs, target, weight);
                return new Tensor(r);
            }

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
            {
                Native.Check(NativeMethods.elt_mse_loss(input.HandleFor("mse_loss"), target.HandleFor("mse_loss"), (int)reduction, out var r), "mse_loss", input, target);
                return new Tensor(r);
            }

            /// <summary>
            /// Multi-class focal loss (Lin et al.): -alpha_y (1 - p_y)^gamma log p_y per sample,
            /// with alpha an optional per-class weight vector; mean or sum over the samples.
            /// </summary>
            public static Tensor focal_loss(Tensor logits, Tensor target, double gamma = 2, Tensor? alpha = null, Reduction reduction = Reduction.Mean)
            {
                using var scope = NewDisposeScope();
                var index = target.unsqueeze(1);
                var logPt = logits.log_softmax(1).gather(1, index).squeeze(1);
                var modulator = (1 - logPt.exp()).pow(gamma);
                var loss = -(modulator * logPt);
                if (alpha is not null) loss = loss * alpha.index_select(0, target);
                var result = reduction switch
                {
                    Reduction.Mean => loss.mean(),
                    Reduction.Sum => loss.sum(),
                    _ => loss,
                };
                return result.MoveToOuterDisposeScope();
            }

            /// <summary>
            /// Supervised contrastive loss (Khosla et al. 2020, L_out): for each anchor, the mean
            /// over its positives (same label, not itself) of -log softmax over all other samples
            /// of z_i . z_j / temperature. Features are L2-normalised first; anchors without a
            /// positive are left out of the mean.
            /// </summary>
            public static Tensor supervised_contrastive_loss(Tensor features, Tensor labels, double temperature = 0.07)
            {
                using var scope = NewDisposeScope();
                var n = features.size(0);
                var z = normalize(features, 2, 1);
                var logits = z.matmul(z.mT) / temperature;
                var self = eye_mask(n, features.device);
                // Excluding self from the denominator: log softmax over j != i.
                var logProb = logits.masked_fill(self, double.NegativeInfinity).log_softmax(1);
                var positives = labels.unsqueeze(1).eq(labels.unsqueeze(0)).logical_and(self.logical_not());
                var positiveCount = positives.sum(1).to(ScalarType.Float32);
                var positiveLogProb = torch.where(positives, logProb, zeros_like(logProb)).sum(1);
                var hasPositive = positiveCount.gt(0);
                var perAnchor = -(positiveLogProb[hasPositive] / positiveCount[hasPositive]);
                return perAnchor.mean().MoveToOuterDisposeScope();
            }

            private static Tensor eye_mask(long n, Device device)
            {
                using var scope = NewDisposeScope();
                var range = arange(n, int64, device);
                return range.unsqueeze(1).eq(range.unsqueeze(0)).MoveToOuterDisposeScope();
            }
        }
    }
}
