using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>The activations config.json names (hidden_act, feat_extract_activation), as HF's ACT2FN.</summary>
public static class Activation
{
    public static IReadOnlyList<string> Names { get; } = ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu", "silu", "swish", "tanh"];

    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "gelu" => x.gelu(),
        "gelu_new" or "gelu_pytorch_tanh" => x.gelu(tanhApproximation: true),
        "relu" => x.relu(),
        "silu" or "swish" => x.silu(),
        "tanh" => x.tanh(),
        _ => throw new TorchException($"activation '{name}' is not supported; one of {string.Join(", ", Names)}"),
    };
}
