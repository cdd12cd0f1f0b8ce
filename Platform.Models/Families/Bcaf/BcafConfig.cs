using System.Text.Json.Serialization;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// BCAF, Bimodal Connection Attention Fusion (Luo, Phan, Wang, Reiss; shared/papers/bcaf-...txt):
/// text and audio encoders, then the interactive connection network (ICN), the bimodal attention
/// network (BAN) and the correlative attention network (CAN), a 4-layer classifier over the
/// concatenation, audio and text heads, and the loss alpha*Lc + beta*(La + Ll) + Lm. Every switch
/// the paper ablates is a field here with the paper's default (Fig. 6: w/o ICN / BAN / CAN;
/// Table II: attention variant and number of layers).
/// </summary>
public sealed record BcafConfig : IFamilyConfig
{
    public const string Ban = "ban";
    public const string Jan = "jan";
    public const string BanSelfOnly = "ban-sa";
    public const string BanCrossOnly = "ban-ca";

    /// <summary>Table II's attention variants; ban is the paper's.</summary>
    public static IReadOnlyList<string> AttentionVariants { get; } = [Ban, Jan, BanSelfOnly, BanCrossOnly];

    public const string AverageDecision = "average";
    public const string BimodalDecision = "bimodal";

    public static IReadOnlyList<string> Decisions { get; } = [AverageDecision, BimodalDecision];

    /// <summary>
    /// The text slot. The paper uses RoBERTa-large (1024-d); the from-scratch slot (128 wide, so CPU
    /// runs stay fast) stands in until a pretrained kind fills it. A spec that gives some of the
    /// slots' fields keeps these defaults for the others (here and for <see cref="Audio"/>).
    /// </summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public EncoderSlotConfig Text { get; init; } = new() { Size = 128, Layers = 1, Heads = 2, MaxLength = 64 };

    /// <summary>
    /// The audio slot over 80-bin log-mel frames. The paper uses wav2vec 2.0-large (1024-d); the
    /// from-scratch slot stands in. MaxLength is in frames (600 = 6 s at a 10 ms hop).
    /// </summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public EncoderSlotConfig Audio { get; init; } = new() { Size = 128, Layers = 1, Heads = 2, MaxLength = 600, FrameStride = 4 };

    /// <summary>The interactive connection network and its connection loss Lc (false: Fig. 6's "w/o ICN").</summary>
    public bool UseIcn { get; init; } = true;

    /// <summary>The bimodal attention network (false: Fig. 6's "w/o BAN"; its inputs pass through).</summary>
    public bool UseBan { get; init; } = true;

    /// <summary>The correlative attention network (false: Fig. 6's "w/o CAN"; the correlations are left out).</summary>
    public bool UseCan { get; init; } = true;

    /// <summary>ban | jan | ban-sa | ban-ca (Table II): the attention the BAN's layers use.</summary>
    public string Attention { get; init; } = Ban;

    /// <summary>Layers of the bimodal attention network (Table II's best for BAN: 3 on IEMOCAP, 5 on MELD).</summary>
    public int Layers { get; init; } = 3;

    /// <summary>Attention heads of the BAN and CAN; the paper's equations are single-head. Must divide the encoders' size.</summary>
    public int Heads { get; init; } = 1;

    /// <summary>Width of the ICN's latent vectors e_a, e_l (the paper's 512).</summary>
    public int LatentSize { get; init; } = 512;

    /// <summary>
    /// Aligned segments of the joint attention (CAN, and BAN's jan variant): eq. (14) adds text and
    /// audio scores position by position, so both sequences are first resampled to this many
    /// segments of equal duration (the paper's utterance vectors have no positions; see SegmentAlignment).
    /// </summary>
    public int Segments { get; init; } = 8;

    /// <summary>Initial value of the joint attention's learnable lambda (eq. 14; the paper gives none).</summary>
    public double LambdaInit { get; init; } = 0.5;

    /// <summary>Weight of the connection loss Lc in eq. (18). The paper gives no value; 0.1 as in the project's BCAF benchmark step.</summary>
    public double Alpha { get; init; } = 0.1;

    /// <summary>Weight of the audio and text losses La + Ll in eq. (18); the paper gives no value, 0.5 as in the benchmark step.</summary>
    public double Beta { get; init; } = 0.5;

    /// <summary>Weight mu of the connection terms inside Lc (eq. 3); the paper gives no value, 0.1 as in the benchmark step.</summary>
    public double Mu { get; init; } = 0.1;

    /// <summary>The paper's dropout rate.</summary>
    public double Dropout { get; init; } = 0.3;

    /// <summary>
    /// average: the audio, text and bimodal predictions are combined (mean of their class
    /// probabilities), as the paper's "combined to make a final decision"; bimodal: the bimodal head alone.
    /// </summary>
    public string Decision { get; init; } = AverageDecision;

    /// <summary>Adds this config's problems (paths under "bcaf") to the list.</summary>
    public void Validate(ExperimentSpec spec, List<SpecProblem> problems)
    {
        if (spec.Modalities != Modalities.TextAudio)
            problems.Add(new("modalities", $"BCAF fuses text and audio: modalities must be '{Modalities.TextAudio}', not '{spec.Modalities}'"));

        // A JSON null replaces the default sub-config: report it rather than fail on it.
        if (Text is null) problems.Add(new("bcaf.text", "required (or leave it out for the defaults)"));
        else Text.Validate("bcaf.text", problems);
        if (Audio is null) problems.Add(new("bcaf.audio", "required (or leave it out for the defaults)"));
        else Audio.Validate("bcaf.audio", problems);
        if (Text is not null && Audio is not null && Text.Size >= 1 && Audio.Size >= 1 && Text.Size != Audio.Size)
            problems.Add(new("bcaf.audio.size", $"must equal bcaf.text.size {Text.Size}: the attention networks add and compare text and audio vectors of one width, got {Audio.Size}"));

        if (!AttentionVariants.Contains(Attention))
            problems.Add(new("bcaf.attention", $"unknown attention variant '{Attention}'; one of {string.Join(", ", AttentionVariants)}"));
        else if (!UseBan && Attention != Ban)
            problems.Add(new("bcaf.attention", $"the attention variant '{Attention}' is the BAN's, which useBan=false removes; keep '{Ban}' or turn the BAN on"));
        if (Layers is < 1 or > 12) problems.Add(new("bcaf.layers", $"must be in 1..12, got {Layers}"));
        var width = Text?.Size ?? 0;
        if (Heads < 1 || (width >= 1 && width % Heads != 0))
            problems.Add(new("bcaf.heads", $"must be at least 1 and divide the encoders' size {width}, got {Heads}"));
        if (LatentSize < 1) problems.Add(new("bcaf.latentSize", $"must be at least 1, got {LatentSize}"));
        if (Segments is < 1 or > 256) problems.Add(new("bcaf.segments", $"must be in 1..256, got {Segments}"));
        if (!double.IsFinite(LambdaInit)) problems.Add(new("bcaf.lambdaInit", $"must be a finite number, got {LambdaInit}"));
        if (!(Alpha >= 0) || double.IsInfinity(Alpha)) problems.Add(new("bcaf.alpha", $"must be zero or positive, got {Alpha}"));
        if (!(Beta >= 0) || double.IsInfinity(Beta)) problems.Add(new("bcaf.beta", $"must be zero or positive, got {Beta}"));
        if (!(Mu >= 0) || double.IsInfinity(Mu)) problems.Add(new("bcaf.mu", $"must be zero or positive, got {Mu}"));
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) problems.Add(new("bcaf.dropout", $"must be in [0, 1), got {Dropout}"));
        if (!Decisions.Contains(Decision))
            problems.Add(new("bcaf.decision", $"unknown decision '{Decision}'; one of {string.Join(", ", Decisions)}"));
    }
}
