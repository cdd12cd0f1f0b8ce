using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// The joint-vector EPC/ERC family (epc-erc-emotional-cues-extraction-fusion and
/// erc-joint-vector-fusion-inter-class-contrastive, one family). Every switch the papers ablate is
/// a field, defaulting to the full model; sizes default small (64 wide) so CPU runs are quick,
/// while the structural choices are the papers' (N = 2 blocks, joint vectors of length 4, a
/// 2-layer extractor, Adam 1e-4, batch 32 on the spec).
///
/// <para>Modalities: with text only there is no audio to enhance or fuse, with audio only there is
/// no text to tag. A module the modality lacks is simply absent (KWRT left on with audio only is
/// fine: it has nothing to tag, and the run log says so), but asking to ablate it, or to pick a
/// fusion method for text only, is rejected: such a variant would be the full model again under
/// another name.</para>
///
/// <para>Metrics: ERC reads accuracy (WA) and weighted F1, EPC reads UAR and macro F1
/// (<see cref="MetricsFor"/>); every run stores all four from one confusion matrix.</para>
/// </summary>
public sealed record JointVectorConfig : IFamilyConfig
{
    public const string JfmFusion = "jfm";
    public const string CfaFusion = "cfa";
    public const string ConcatFusion = "concat";

    /// <summary>The log-mel bins of the platform's features (LogMelFeatures): patches must tile them.</summary>
    public const int MelBins = 80;

    public static IReadOnlyList<string> Fusions { get; } = [JfmFusion, CfaFusion, ConcatFusion];

    /// <summary>Knowledge-based word relation tagging on the text (EPC Table 3 "w/o KWRT").</summary>
    public bool UseKwrt { get; init; } = true;

    /// <summary>Prosody enhancement F_a = h_a + LN(Enc(h_a)) (EPC Table 3 "w/o PE").</summary>
    public bool UseProsodyEnhancement { get; init; } = true;

    /// <summary>The second fusion step with the mel-spectrogram (EPC Table 3 "w/o TMF": only the first-step fusion is kept).</summary>
    public bool UseTmf { get; init; } = true;

    /// <summary>The joint-based fusion module (ERC Table 2 "w/o JFM": late fusion of the text features and a separate ViT over the mel-spectrogram).</summary>
    public bool UseJfm { get; init; } = true;

    /// <summary>The joint vectors inside the JF blocks (ERC Table 2 "w/o v_j": the two transformers run side by side without exchanging anything).</summary>
    public bool UseJointVector { get; init; } = true;

    /// <summary>Inter-class contrastive learning on the concatenated fused features (ERC Table 2 "w/o ICL").</summary>
    public bool UseIcl { get; init; } = true;

    /// <summary>jfm | cfa | concat (ERC Table 3).</summary>
    public string Fusion { get; init; } = JfmFusion;

    /// <summary>N, the stacked JF (or CFA) blocks; 1..5 (Fig. 3a; the papers use 2).</summary>
    public int Blocks { get; init; } = 2;

    /// <summary>Length of each joint (bridge) vector; 1..32 (Fig. 3b; the papers use 4).</summary>
    public int JointVectorLength { get; init; } = 4;

    /// <summary>
    /// Weight of the ICL loss beside cross-entropy. The paper gives none; 0.1 keeps the contrastive
    /// term (about log of the batch size at the start) below the cross-entropy, which at 1 it swamps
    /// and slows on small corpora.
    /// </summary>
    public double IclWeight { get; init; } = 0.1;

    /// <summary>τ of the supervised contrastive loss (the paper gives none; 0.07 as in Khosla et al.).</summary>
    public double IclTemperature { get; init; } = 0.07;

    /// <summary>
    /// Turns in the text sequence: ERC, the utterance and its ContextWindow - 1 predecessors; EPC,
    /// the ContextWindow turns before the target (3, the EPC paper's KWRT example).
    /// </summary>
    public int ContextWindow { get; init; } = 3;

    /// <summary>Side of the square ViT patches over the log-mel (frames x mels); must divide the 80 mel bins.</summary>
    public int PatchSize { get; init; } = 16;

    /// <summary>Width d of the extractor, the fusion transformers and the joint vectors (the papers: 1024).</summary>
    public int HiddenSize { get; init; } = 64;

    /// <summary>Attention heads of the extractor and fusion transformers (the papers: 8 at 1024); must divide HiddenSize.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Layers of the text feature extractor and of the first-step fusion transformer (the papers: 2).</summary>
    public int ExtractorLayers { get; init; } = 2;

    public double Dropout { get; init; } = 0.1;

    /// <summary>ConceptNet relations read per word (strongest first) when tagging word pairs.</summary>
    public int KwrtRelationsPerWord { get; init; } = 50;

    /// <summary>Prosody frames (10 ms) averaged into one step for the prosody encoder.</summary>
    public int ProsodyFrameStride { get; init; } = 4;

    /// <summary>The text slot over the conversation (speaker tokens included); MaxLength cuts the oldest tokens.</summary>
    public EncoderSlotConfig Text { get; init; } = new() { Size = 64, Layers = 1, Heads = 2, MaxLength = 128 };

    /// <summary>The audio slot over log-mel frames (h_a); MaxLength frames are also what the ViT patches cover.</summary>
    public EncoderSlotConfig Audio { get; init; } = new() { Size = 64, Layers = 1, Heads = 2, MaxLength = 512, FrameStride = 4 };

    /// <summary>The scores a task is read by (names of ClassificationScores): ERC WA and weighted F1, EPC UA (UAR) and macro F1.</summary>
    public static IReadOnlyList<string> MetricsFor(string task) =>
        task == ExperimentTasks.Epc ? ["UA", "MacroF1"] : ["WA", "WeightedF1"];

    public void Validate(ExperimentSpec spec, List<SpecProblem> problems)
    {
        const string p = "jointVector";
        if (!Fusions.Contains(Fusion)) problems.Add(new($"{p}.fusion", $"unknown fusion '{Fusion}'; one of {string.Join(", ", Fusions)}"));
        if (Blocks is < 1 or > 5) problems.Add(new($"{p}.blocks", $"must be in 1..5, got {Blocks}"));
        if (JointVectorLength is < 1 or > 32) problems.Add(new($"{p}.jointVectorLength", $"must be in 1..32, got {JointVectorLength}"));
        if (!(IclWeight >= 0) || double.IsInfinity(IclWeight)) problems.Add(new($"{p}.iclWeight", $"must be zero or positive, got {IclWeight}"));
        if (!(IclTemperature > 0) || double.IsInfinity(IclTemperature)) problems.Add(new($"{p}.iclTemperature", $"must be a positive number, got {IclTemperature}"));
        if (ContextWindow is < 1 or > 50) problems.Add(new($"{p}.contextWindow", $"must be in 1..50 turns, got {ContextWindow}"));
        if (PatchSize < 1 || MelBins % PatchSize != 0) problems.Add(new($"{p}.patchSize", $"must divide the {MelBins} mel bins (1, 2, 4, 5, 8, 10, 16, 20, 40, 80), got {PatchSize}"));
        if (HiddenSize < 1) problems.Add(new($"{p}.hiddenSize", $"must be at least 1, got {HiddenSize}"));
        if (Heads < 1 || (HiddenSize >= 1 && HiddenSize % Heads != 0)) problems.Add(new($"{p}.heads", $"must be at least 1 and divide hiddenSize {HiddenSize}, got {Heads}"));
        if (ExtractorLayers is < 1 or > 6) problems.Add(new($"{p}.extractorLayers", $"must be in 1..6, got {ExtractorLayers}"));
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) problems.Add(new($"{p}.dropout", $"must be in [0, 1), got {Dropout}"));
        if (KwrtRelationsPerWord < 1) problems.Add(new($"{p}.kwrtRelationsPerWord", $"must be at least 1, got {KwrtRelationsPerWord}"));
        if (ProsodyFrameStride < 1) problems.Add(new($"{p}.prosodyFrameStride", $"must be at least 1, got {ProsodyFrameStride}"));
        // A JSON null replaces the default sub-config: report it rather than fail on it.
        if (Text is null) problems.Add(new($"{p}.text", "required (or leave it out for the defaults)"));
        else
        {
            Text.Validate($"{p}.text", problems);
            // The text slot reads the whole conversation with speaker tokens and KWRT's per-word
            // tags over our word vocabulary; a per-utterance pretrained feature cache cannot feed it.
            if (Text.Kind == EncoderSlotConfig.PretrainedKind)
                problems.Add(new($"{p}.text.kind", "the joint-vector text slot encodes the conversation with speaker tokens and KWRT tags: only 'scratch' is supported (the audio slot takes 'pretrained')"));
        }
        if (Audio is null) problems.Add(new($"{p}.audio", "required (or leave it out for the defaults)"));
        else
        {
            Audio.Validate($"{p}.audio", problems);
            if (Audio.MaxLength < PatchSize) problems.Add(new($"{p}.audio.maxLength", $"must hold at least one patch of {PatchSize} frames, got {Audio.MaxLength}"));
        }
        ValidateCombination(spec.Modalities, problems);
    }

    // Ablations the modalities or the other switches already rule out: each would repeat another variant.
    private void ValidateCombination(string modalities, List<SpecProblem> problems)
    {
        const string p = "jointVector";
        if (!Modalities.All.Contains(modalities)) return; // reported on "modalities"
        if (modalities == Modalities.Text)
        {
            const string why = "with modalities 'text' there is no audio";
            if (Fusion != JfmFusion && Fusions.Contains(Fusion)) problems.Add(new($"{p}.fusion", $"{why} to fuse; fusion '{Fusion}' needs modalities 'audio' or 'text+audio' (leave it at '{JfmFusion}')"));
            if (!UseProsodyEnhancement) problems.Add(new($"{p}.useProsodyEnhancement", $"{why} to enhance; w/o PE needs audio (leave it on)"));
            if (!UseTmf) problems.Add(new($"{p}.useTmf", $"{why} for the mel-spectrogram fusion; w/o TMF needs audio (leave it on)"));
            if (!UseJfm) problems.Add(new($"{p}.useJfm", $"{why} for the joint-based fusion; w/o JFM needs audio (leave it on)"));
            if (!UseJointVector) problems.Add(new($"{p}.useJointVector", $"{why} for joint vectors to join; w/o joint vector needs audio (leave it on)"));
            return;
        }
        if (modalities == Modalities.Audio && !UseKwrt)
            problems.Add(new($"{p}.useKwrt", "with modalities 'audio' there is no text to tag; w/o KWRT needs text (leave it on: it is not used with audio only)"));
        if (!UseTmf)
        {
            const string why = "w/o TMF (useTmf false) already removes the mel-spectrogram fusion";
            if (!UseJfm) problems.Add(new($"{p}.useJfm", $"{why}; leave useJfm on"));
            if (!UseJointVector) problems.Add(new($"{p}.useJointVector", $"{why}; leave useJointVector on"));
            if (Fusion != JfmFusion && Fusions.Contains(Fusion)) problems.Add(new($"{p}.fusion", $"{why}, so there is no fusion method to pick; leave it at '{JfmFusion}'"));
            return;
        }
        if (!UseJfm)
        {
            const string why = "w/o JFM (useJfm false) already replaces the fusion module by late fusion";
            if (Fusion != JfmFusion && Fusions.Contains(Fusion)) problems.Add(new($"{p}.useJfm", $"{why}; with fusion '{Fusion}' leave useJfm on"));
            if (!UseJointVector) problems.Add(new($"{p}.useJointVector", $"{why}, which has no joint vectors; leave useJointVector on"));
        }
        else if (!UseJointVector && Fusion != JfmFusion && Fusions.Contains(Fusion))
            problems.Add(new($"{p}.useJointVector", $"joint vectors exist only in fusion '{JfmFusion}'; with fusion '{Fusion}' leave useJointVector on"));
    }
}
