namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>y = x W^T + b.</summary>
        public sealed class Linear : Module<Tensor, Tensor>
        {
            public Linear(long in_features, long out_features, bool hasBias = true)
            {
                weight = register_parameter("weight", new Parameter(empty([out_features, in_features])));
                init.kaiming_uniform_default_(weight);
                if (hasBias)
                {
                    bias = register_parameter("bias", new Parameter(empty([out_features])));
                    init.uniform_(bias, 1.0 / Math.Sqrt(in_features));
                }
                else register_absent_parameter("bias");
                this.in_features = in_features;
                this.out_features = out_features;
            }

            public long in_features { get; }
            public long out_features { get; }
            public Parameter weight { get; }
            public Parameter? bias { get; }

            public override Tensor forward(Tensor x) => functional.linear(x, weight, bias);
        }
    }
}
