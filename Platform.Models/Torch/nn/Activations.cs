namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public sealed class ReLU : Module<Tensor, Tensor> { public override Tensor forward(Tensor x) => x.relu(); }

        public sealed class GELU(bool tanhApproximation = false) : Module<Tensor, Tensor> { public override Tensor forward(Tensor x) => x.gelu(tanhApproximation); }

        public sealed class SiLU : Module<Tensor, Tensor> { public override Tensor forward(Tensor x) => x.silu(); }

        public sealed class Tanh : Module<Tensor, Tensor> { public override Tensor forward(Tensor x) => x.tanh(); }

        public sealed class Sigmoid : Module<Tensor, Tensor> { public override Tensor forward(Tensor x) => x.sigmoid(); }

        public sealed class Identity : Module<Tensor, Tensor> { public override Tensor forward(Tensor x) => x.alias(); }
    }
}
