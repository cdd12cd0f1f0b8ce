using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Encoders;

/// <summary>
/// What fills an encoder slot. "scratch" is a small transformer trained with the family (runs
/// without pretrained weights). "pretrained" is a lab's Hugging Face folder (<see cref="Model"/>),
/// frozen: its hidden states at <see cref="Layer"/> are extracted once per corpus into the feature
/// cache and shared by every run; the family trains a projection to Size and Layers transformer
/// layers over them.
/// </summary>
public sealed record EncoderSlotConfig
{
    public const string ScratchKind = "scratch";
    public const string PretrainedKind = "pretrained";

    public static IReadOnlyList<string> Kinds { get; } = [ScratchKind, PretrainedKind];

    public string Kind { get; init; } = ScratchKind;

    /// <summary>Pretrained only: the model folder, absolute or relative to the artifact root's models/ folder.</summary>
    public string? Model { get; init; }

    /// <summary>Pretrained only: which hidden state (0 the embeddings, N the last layer; -1 the last).</summary>
    public int Layer { get; init; } = -1;

    /// <summary>Width of the encoded vectors.</summary>
    public int Size { get; init; } = 64;

    /// <summary>Transformer encoder layers (0: embeddings or frame projections only).</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Attention heads; must divide <see cref="Size"/>.</summary>
    public int Heads { get; init; } = 2;

    /// <summary>Positions kept: tokens for text, frames for audio (longer inputs are cut).</summary>
    public int MaxLength { get; init; } = 64;

    /// <summary>Audio only: frames averaged into one position (4 at a 10 ms hop = 40 ms steps).</summary>
    public int FrameStride { get; init; } = 4;

    public void Validate(string path, List<SpecProblem> problems)
    {
        if (!Kinds.Contains(Kind)) problems.Add(new($"{path}.kind", $"unknown encoder kind '{Kind}'; one of {string.Join(", ", Kinds)}"));
        if (Kind == PretrainedKind && string.IsNullOrWhiteSpace(Model))
            problems.Add(new($"{path}.model", "a pretrained slot needs its model folder (a name under the artifact root's models/, or an absolute path)"));
        if (Layer < -1) problems.Add(new($"{path}.layer", $"must be -1 (the last) or a hidden-state index, got {Layer}"));
        if (Size < 1) problems.Add(new($"{path}.size", $"must be at least 1, got {Size}"));
        if (Layers < 0) problems.Add(new($"{path}.layers", $"must be 0 or more, got {Layers}"));
        if (Layers > 0 && (Heads < 1 || (Size >= 1 && Size % Heads != 0)))
            problems.Add(new($"{path}.heads", $"must be at least 1 and divide size {Size}, got {Heads}"));
        if (MaxLength < 1) problems.Add(new($"{path}.maxLength", $"must be at least 1, got {MaxLength}"));
        if (FrameStride < 1) problems.Add(new($"{path}.frameStride", $"must be at least 1, got {FrameStride}"));
    }
}
