namespace EmotionLab.Models.Pretrained;

/// <summary>
/// A LoRA configuration as PEFT's LoraConfig names it: rank r, lora_alpha, lora_dropout, and the
/// target modules, matched on the last part of a Linear's name (q_proj, v_proj, query, ...).
/// </summary>
public sealed record LoraSettings
{
    public int Rank { get; init; } = 8;
    public double Alpha { get; init; } = 16;
    public double Dropout { get; init; }
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "v_proj"];
}
