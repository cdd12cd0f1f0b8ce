namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// y = x W^T + b, optionally with a LoRA update (Hu et al. 2021):
        /// + (alpha / r) B A dropout(x), A starting as a Linear's default init and B at zero, so an
        /// attached adapter starts out computing exactly what the layer did. The adapter sits beside
        /// the layer's own weight under PEFT's names (lora_A, lora_B), so pretrained weights keep
        /// their names and PEFT's adapter files map one to one.
        /// </summary>
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

            public Linear? lora_A { get; private set; }
            public Linear? lora_B { get; private set; }
            public Dropout? lora_dropout { get; private set; }
            public double lora_scaling { get; private set; }

            /// <summary>Adds a rank-<paramref name="rank"/> LoRA adapter (PEFT's update_layer); the caller freezes the base weights.</summary>
            public void attach_lora(int rank, double alpha, double dropout = 0)
            {
                if (rank <= 0) throw new TorchException($"LoRA: rank must be positive, got {rank}");
                if (lora_A is not null) throw new TorchException("LoRA: this Linear already has an adapter");
                var device = weight.device;
                lora_dropout = register_module("lora_dropout", new Dropout(dropout));
                lora_A = register_module("lora_A", new Linear(in_features, rank, hasBias: false));
                lora_B = register_module("lora_B", new Linear(rank, out_features, hasBias: false));
                init.zeros_(lora_B.weight);
                if (device.Type != DeviceType.CPU || weight.dtype != float32)
                {
                    lora_A.to(device, weight.dtype);
                    lora_B.to(device, weight.dtype);
                }
                lora_scaling = alpha / rank;
            }

            /// <summary>Folds the adapter into the weight (W += scaling B A) and removes it: the same outputs, no extra cost.</summary>
            public void merge_lora()
            {
                if (lora_A is null || lora_B is null) throw new TorchException("LoRA: this Linear has no adapter to merge");
                using (no_grad())
                using (var scope = NewDisposeScope())
                    weight.add_(lora_B.weight.matmul(lora_A.weight), lora_scaling);
                foreach (var name in new[] { "lora_A", "lora_B", "lora_dropout" }) unregister_module(name)?.Dispose();
                (lora_A, lora_B, lora_dropout) = (null, null, null);
            }

            public override Tensor forward(Tensor x)
            {
                var y = functional.linear(x, weight, bias);
                return lora_A is null ? y : y + lora_B!.forward(lora_A.forward(lora_dropout!.forward(x))) * lora_scaling;
            }
        }
    }
}
