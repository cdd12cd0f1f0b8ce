namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public sealed class Dropout(double p = 0.5) : Module<Tensor, Tensor>
        {
            public double p { get; } = p >= 0 && p < 1 ? p : throw new TorchException($"Dropout: p must be in [0, 1), got {p}");

            public override Tensor forward(Tensor x) => functional.dropout(x, p, training);
        }
    }
}
