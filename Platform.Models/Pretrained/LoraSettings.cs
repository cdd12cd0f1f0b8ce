using EmotionLab.Models.Experiments;
using EmotionLab.Models.Torch;

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

    /// <summary>A family config's LoRA fields as the adapters take them; <paramref name="targets"/> is comma-separated ("q_proj,v_proj").</summary>
    public static LoraSettings From(int rank, double alpha, double dropout, string? targets) => new()
    {
        Rank = rank, Alpha = alpha, Dropout = dropout,
        TargetModules = (targets ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
    };

    /// <summary>The adapters' parameters over a model (on the meta device is enough): r x (in + out) per targeted Linear.</summary>
    public long AdapterParameters(torch.nn.Module model) =>
        model.named_modules().Where(m => m.module is torch.nn.Linear && TargetModules.Contains(m.name[(m.name.LastIndexOf('.') + 1)..]))
            .Sum(m => Rank * (((torch.nn.Linear)m.module).weight.size(0) + ((torch.nn.Linear)m.module).weight.size(1)));

    /// <summary>Adds the problems of a family's LoRA fields (path.loraRank, path.loraAlpha, path.loraDropout, path.loraTargets) to the list.</summary>
    public void Validate(string path, List<SpecProblem> problems)
    {
        if (Rank < 1) problems.Add(new($"{path}.loraRank", $"must be at least 1, got {Rank}"));
        if (!(Alpha > 0) || double.IsInfinity(Alpha)) problems.Add(new($"{path}.loraAlpha", $"must be positive, got {Alpha}"));
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) problems.Add(new($"{path}.loraDropout", $"must be in [0, 1), got {Dropout}"));
        if (TargetModules.Count == 0)
            problems.Add(new($"{path}.loraTargets", "name at least one Linear layer of the LLM, comma-separated (e.g. q_proj,v_proj)"));
    }
}
