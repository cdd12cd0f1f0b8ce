namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>1-D convolution over (N, C, L) inputs.</summary>
        public sealed class Conv1d : Module<Tensor, Tensor>
        {
            private readonly long stride, padding, dilation, groups;

            public Conv1d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool hasBias = true)
            {
                (this.stride, this.padding, this.dilation, this.groups) = (stride, padding, dilation, groups);
                weight = register_parameter("weight", new Parameter(empty([out_channels, in_channels / groups, kernel_size])));
                bias = InitialiseConvolution(this, weight, hasBias);
            }

            public Parameter weight { get; }
            public Parameter? bias { get; }

            public override Tensor forward(Tensor x) => functional.conv1d(x, weight, bias, stride, padding, dilation, groups);
        }

        /// <summary>2-D convolution over (N, C, H, W) inputs.</summary>
        public sealed class Conv2d : Module<Tensor, Tensor>
        {
            private readonly long[] stride, padding, dilation;
            private readonly long groups;

            public Conv2d(long in_channels, long out_channels, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1, bool hasBias = true)
            {
                (this.stride, this.padding, this.dilation, this.groups) = (stride ?? [1, 1], padding ?? [0, 0], dilation ?? [1, 1], groups);
                weight = register_parameter("weight", new Parameter(empty([out_channels, in_channels / groups, kernel_size[0], kernel_size[1]])));
                bias = InitialiseConvolution(this, weight, hasBias);
            }

            public Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0) :
                this(in_channels, out_channels, [kernel_size, kernel_size], [stride, stride], [padding, padding]) { }

            public Parameter weight { get; }
            public Parameter? bias { get; }

            public override Tensor forward(Tensor x) => functional.conv2d(x, weight, bias, stride, padding, dilation, groups);
        }
    }
}
