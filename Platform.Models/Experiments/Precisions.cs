namespace EmotionLab.Models.Experiments;

/// <summary>
/// A spec's numeric precision: fp32 throughout, or bf16 mixed precision (matmuls, linear layers,
/// convolutions and attention in bfloat16 under autocast; float32 master weights, optimizer state,
/// losses and softmax statistics).
/// </summary>
public static class Precisions
{
    public const string Fp32 = "fp32";
    public const string Bf16 = "bf16";

    public static IReadOnlyList<string> All { get; } = [Fp32, Bf16];
}
