using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Families.Baselines;

/// <summary>
/// The Baselines family: unimodal text, unimodal audio, and late fusion by concatenation of the
/// two utterance vectors (the "Concatenate" row of the joint-vector paper's Table 3).
/// </summary>
public sealed record BaselinesConfig : IFamilyConfig
{
    public const string TextVariant = "text";
    public const string AudioVariant = "audio";
    public const string ConcatVariant = "concat";

    public static IReadOnlyList<string> Variants { get; } = [TextVariant, AudioVariant, ConcatVariant];

    /// <summary>text | audio | concat.</summary>
    public string Variant { get; init; } = ConcatVariant;

    /// <summary>Width of the audio encoder's hidden layer and of the classifier's hidden layer.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Dropout after each encoder and inside the classifier.</summary>
    public double Dropout { get; init; } = 0.3;

    public TextEncoderConfig Text { get; init; } = new();

    public AudioEncoderConfig Audio { get; init; } = new();

    /// <summary>The modalities string a spec must give for this variant.</summary>
    public static string ModalitiesOf(string variant) => variant switch
    {
        TextVariant => Modalities.Text,
        AudioVariant => Modalities.Audio,
        _ => Modalities.TextAudio,
    };

    /// <summary>Adds this config's problems (paths under "baselines") to the list.</summary>
    public void Validate(ExperimentSpec spec, List<SpecProblem> problems)
    {
        if (!Variants.Contains(Variant))
            problems.Add(new("baselines.variant", $"unknown variant '{Variant}'; one of {string.Join(", ", Variants)}"));
        else if (Modalities.All.Contains(spec.Modalities) && spec.Modalities != ModalitiesOf(Variant))
            problems.Add(new("modalities", $"variant '{Variant}' uses modalities '{ModalitiesOf(Variant)}', not '{spec.Modalities}'"));
        if (HiddenSize < 1) problems.Add(new("baselines.hiddenSize", $"must be at least 1, got {HiddenSize}"));
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) problems.Add(new("baselines.dropout", $"must be in [0, 1), got {Dropout}"));
        // A JSON null replaces the default sub-config: report it rather than fail on it.
        if (Text is null) problems.Add(new("baselines.text", "required (or leave it out for the defaults)"));
        else Text.Validate("baselines.text", problems);
        if (Audio is null) problems.Add(new("baselines.audio", "required (or leave it out for the defaults)"));
        else Audio.Validate("baselines.audio", problems);
    }
}
