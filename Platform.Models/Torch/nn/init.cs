namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Parameter initialisers (torch.nn.init), in place and without autograd.</summary>
        public static class init
        {
            public static Tensor uniform_(Tensor t, double bound)
            {
                using (no_grad()) t.InPlace(InPlaceOp.Uniform, null, bound, "uniform_");
                return t;
            }

            public static Tensor normal_(Tensor t, double std = 1)
            {
                using (no_grad()) t.InPlace(InPlaceOp.Normal, null, std, "normal_");
                return t;
            }

            public static Tensor zeros_(Tensor t) { using (no_grad()) t.zero_(); return t; }

            public static Tensor ones_(Tensor t) { using (no_grad()) t.fill_(1); return t; }

            /// <summary>(fan_in, fan_out) as PyTorch computes them for a weight of this shape.</summary>
            public static (long fanIn, long fanOut) fans(long[] shape)
            {
                if (shape.Length < 2) throw new TorchException($"fans: a weight needs at least 2 dimensions, got [{string.Join(", ", shape)}]");
                var receptive = shape.Skip(2).Aggregate(1L, (a, b) => a * b);
                return (shape[1] * receptive, shape[0] * receptive);
            }

            /// <summary>kaiming_uniform_ with a = sqrt(5): U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's Linear/Conv default.</summary>
            public static Tensor kaiming_uniform_default_(Tensor weight) => uniform_(weight, 1.0 / Math.Sqrt(fans(weight.shape).fanIn));

            public static Tensor xavier_uniform_(Tensor weight, double gain = 1)
            {
                var (fanIn, fanOut) = fans(weight.shape);
                return uniform_(weight, gain * Math.Sqrt(6.0 / (fanIn + fanOut)));
            }
        }
    }
}
