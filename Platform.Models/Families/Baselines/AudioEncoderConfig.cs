using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Families.Baselines;

/// <summary>
/// The audio encoder: log-mel frames pooled over time into one vector per utterance ("mean", or
/// "meanstd" which adds the per-bin standard deviation: how much the band varies, a prosody cue),
/// standardised with train-split statistics, then an MLP of <see cref="Layers"/> hidden layers.
/// </summary>
public sealed record AudioEncoderConfig
{
    public const string MeanPooling = "mean";
    public const string MeanStdPooling = "meanstd";

    public static IReadOnlyList<string> Poolings { get; } = [MeanPooling, MeanStdPooling];

    /// <summary>mean | meanstd.</summary>
    public string Pooling { get; init; } = MeanStdPooling;

    /// <summary>Hidden layers of the MLP (each BaselinesConfig.HiddenSize wide, ReLU, dropout).</summary>
    public int Layers { get; init; } = 1;

    public void Validate(string path, List<SpecProblem> problems)
    {
        if (!Poolings.Contains(Pooling)) problems.Add(new($"{path}.pooling", $"unknown pooling '{Pooling}'; one of {string.Join(", ", Poolings)}"));
        if (Layers is < 1 or > 4) problems.Add(new($"{path}.layers", $"must be in 1..4, got {Layers}"));
    }
}
