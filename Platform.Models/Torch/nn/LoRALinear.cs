namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// LoRA (Hu et al. 2021) around a Linear: y = base(x) + (alpha / r) * B(A(dropout(x))).
        /// The base weights are frozen; A starts as a Linear's default init and B at zero, so the
        /// wrapped layer starts out computing exactly what the base does. Names follow HF PEFT.
        /// </summary>
        public sealed class LoRALinear : Module<Tensor, Tensor>
        {
            public LoRALinear(Linear baseLayer, int rank, double alpha, double dropout = 0)
            {
                if (rank <= 0) throw new TorchException($"LoRALinear: rank must be positive, got {rank}");
                base_layer = register_module("base_layer", baseLayer);
                foreach (var p in baseLayer.parameters()) p.requires_grad = false;
                lora_dropout = register_module("lora_dropout", new Dropout(dropout));
                lora_A = register_module("lora_A", new Linear(baseLayer.in_features, rank, hasBias: false));
                lora_B = register_module("lora_B", new Linear(rank, baseLayer.out_features, hasBias: false));
                init.zeros_(lora_B.weight);
                scaling = alpha / rank;
            }

            public Linear base_layer { get; }
            public Dropout lora_dropout { get; }
            public Linear lora_A { get; }
            public Linear lora_B { get; }
            public double scaling { get; }

            public override Tensor forward(Tensor x) => base_layer.forward(x) + lora_B.forward(lora_A.forward(lora_dropout.forward(x))) * scaling;
        }
    }
}
