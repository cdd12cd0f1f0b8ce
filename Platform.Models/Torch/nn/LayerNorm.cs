namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Normalises the last dimensions to zero mean and unit variance, then scales and shifts.</summary>
        public sealed class LayerNorm : Module<Tensor, Tensor>
        {
            private readonly long[] normalizedShape;
            private readonly double eps;

            public LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true) : this([normalized_shape], eps, elementwise_affine) { }

            public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true)
            {
                normalizedShape = normalized_shape;
                this.eps = eps;
                if (!elementwise_affine) return;
                weight = register_parameter("weight", new Parameter(ones(normalized_shape)));
                bias = register_parameter("bias", new Parameter(zeros(normalized_shape)));
            }

            public Parameter? weight { get; }
            public Parameter? bias { get; }

            public override Tensor forward(Tensor x) => functional.layer_norm(x, normalizedShape, weight, bias, eps);
        }
    }
}
