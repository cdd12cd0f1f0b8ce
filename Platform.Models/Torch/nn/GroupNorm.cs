namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Normalises (N, C, ...) inputs over groups of channels, then scales and shifts each channel.</summary>
        public sealed class GroupNorm : Module<Tensor, Tensor>
        {
            private readonly long groups;
            private readonly double eps;

            public GroupNorm(long num_groups, long num_channels, double eps = 1e-5, bool affine = true)
            {
                if (num_channels % num_groups != 0) throw new TorchException($"GroupNorm: num_channels {num_channels} is not divisible by num_groups {num_groups}");
                (groups, this.eps) = (num_groups, eps);
                if (!affine) return;
                weight = register_parameter("weight", new Parameter(ones([num_channels])));
                bias = register_parameter("bias", new Parameter(zeros([num_channels])));
            }

            public Parameter? weight { get; }
            public Parameter? bias { get; }

            public override Tensor forward(Tensor x) => functional.group_norm(x, groups, weight, bias, eps);
        }
    }
}
