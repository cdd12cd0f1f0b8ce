using System.Text.Json.Serialization;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.Eaa;

/// <summary>
/// EAA, an audio LLM with dual cross-attention fusion and context-aware instruction tuning
/// (shared/papers/eaa-dual-cross-attention-audio-llm.txt): a semantic (HuBERT) and an acoustic
/// (BEATs) encoder with their last two layers tuned, projections to a common width with
/// LayerNorm, dual cross-attention, the concatenation projected into a LLaMA-family LLM as audio
/// embeddings in the prompt, LoRA on the LLM (r 2, alpha 16, dropout 0.2), and the prompt's
/// context: none, the current transcript, or the preceding and current transcripts (eq. 5).
/// Every switch the paper compares is a field with the paper's default.
/// </summary>
public sealed record EaaConfig : IFamilyConfig
{
    public const string Both = "both";
    public const string SemanticOnly = "semantic";
    public const string AcousticOnly = "acoustic";

    /// <summary>Which encoders feed the fusion: both (the paper's), or one alone (an ablation a lab asks for).</summary>
    public static IReadOnlyList<string> EncoderChoices { get; } = [Both, SemanticOnly, AcousticOnly];

    public const string DualAttention = "dual";
    public const string SemanticQueriesAcoustic = "semantic-queries-acoustic";
    public const string AcousticQueriesSemantic = "acoustic-queries-semantic";
    public const string SelfAttention = "self";

    /// <summary>Fig. 2's fusion attentions: dual cross-attention (the paper's), one direction only, or each stream attending to itself.</summary>
    public static IReadOnlyList<string> FusionChoices { get; } = [DualAttention, SemanticQueriesAcoustic, AcousticQueriesSemantic, SelfAttention];

    public const string NoContext = "none";
    public const string CurrentContext = "current";
    public const string PrecedingContext = "preceding";

    /// <summary>Table 3's context settings: audio only, the current transcript, the preceding and current transcripts (the paper's).</summary>
    public static IReadOnlyList<string> ContextChoices { get; } = [NoContext, CurrentContext, PrecedingContext];

    public const string GenerateScoring = "generate";
    public const string LikelihoodScoring = "likelihood";

    /// <summary>
    /// How an answer becomes a prediction: generate decodes the answer greedily and maps it to a
    /// label (case, punctuation and the label set's synonyms normalised; an answer naming no label
    /// is unparsed and wrong); likelihood, cheaper, ranks the label words by the probability the
    /// LLM gives each as the whole answer (every prediction is a label).
    /// </summary>
    public static IReadOnlyList<string> ScoringChoices { get; } = [GenerateScoring, LikelihoodScoring];

    /// <summary>
    /// The semantic encoder: the paper's HuBERT as a pretrained folder (its last
    /// <see cref="TrainableLayers"/> layers tuned), or a from-scratch log-mel encoder standing in
    /// without weights. MaxLength counts the slot's input frames (20 ms for HuBERT, 10 ms log-mel).
    /// </summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public EncoderSlotConfig Semantic { get; init; } = new() { Size = 64, Layers = 1, Heads = 2, MaxLength = 600, FrameStride = 4 };

    /// <summary>The acoustic encoder: the paper's BEATs (8 patches per 160 ms) as a pretrained folder, or a scratch log-mel encoder.</summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public EncoderSlotConfig Acoustic { get; init; } = new() { Size = 64, Layers = 1, Heads = 2, MaxLength = 600, FrameStride = 4 };

    /// <summary>Last transformer layers of each pretrained encoder that train (the paper's 2); the rest stay frozen.</summary>
    public int TrainableLayers { get; init; } = 2;

    /// <summary>both | semantic | acoustic.</summary>
    public string Encoders { get; init; } = Both;

    /// <summary>dual | semantic-queries-acoustic | acoustic-queries-semantic | self (eq. 3 and Fig. 2).</summary>
    public string Fusion { get; init; } = DualAttention;

    /// <summary>The common width d of eq. (2) (the paper's hidden size 768).</summary>
    public int FusionSize { get; init; } = 768;

    /// <summary>Heads of the fusion attention; eq. (3) is single-head.</summary>
    public int FusionHeads { get; init; } = 1;

    /// <summary>
    /// Positions of F averaged into one audio embedding (1: one per fused position, as the paper;
    /// HuBERT and BEATs give 50 per second, so a 4 s utterance is 200 embeddings in the prompt).
    /// </summary>
    public int AudioStride { get; init; } = 1;

    /// <summary>none | current | preceding (Table 3; eq. 5).</summary>
    public string Context { get; init; } = PrecedingContext;

    /// <summary>The LLM's folder (LLaMA or Qwen2 family; the paper's LLaMA-3-8B), absolute or under the artifact root's models/.</summary>
    public string? Llm { get; init; }

    /// <summary>The instruction of §3.2.</summary>
    public string Instruction { get; init; } = "Describe the speaker's emotion in one word.";

    public int LoraRank { get; init; } = 2;

    public double LoraAlpha { get; init; } = 16;

    public double LoraDropout { get; init; } = 0.2;

    /// <summary>The LLM's Linear layers that get LoRA adapters, comma-separated (PEFT's default for LLaMA: q_proj,v_proj).</summary>
    public string LoraTargets { get; init; } = "q_proj,v_proj";

    /// <summary>The LoRA fields as the adapters take them.</summary>
    [JsonIgnore]
    public LoraSettings Lora => LoraSettings.From(LoraRank, LoraAlpha, LoraDropout, LoraTargets);

    /// <summary>generate | likelihood (see <see cref="ScoringChoices"/>).</summary>
    public string Scoring { get; init; } = GenerateScoring;

    /// <summary>generate: the most answer tokens decoded; an answer not ended by then is unparsed.</summary>
    public int MaxAnswerTokens { get; init; } = 8;

    /// <summary>Dropout in the fusion module (the paper gives none; the scratch encoders use it too).</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Whether the semantic stream is used (both, or semantic only).</summary>
    [JsonIgnore] public bool UsesSemantic => Encoders != AcousticOnly;

    /// <summary>Whether the acoustic stream is used (both, or acoustic only).</summary>
    [JsonIgnore] public bool UsesAcoustic => Encoders != SemanticOnly;

    /// <summary>The LLM as a tiny LLaMA, the semantic encoder as a tiny HuBERT, the acoustic as a tiny BEATs.</summary>
    public IReadOnlyList<string> TinyModelSettings(Func<string, string> folderFor) =>
    [
        $"eaa.llm = {folderFor("llama")}",
        $"eaa.semantic.kind = {EncoderSlotConfig.PretrainedKind}", $"eaa.semantic.model = {folderFor("hubert")}",
        $"eaa.acoustic.kind = {EncoderSlotConfig.PretrainedKind}", $"eaa.acoustic.model = {folderFor("beats")}",
    ];

    /// <summary>
    /// The LLM with its LoRA adapters, each pretrained encoder (kept whole; its last
    /// <see cref="TrainableLayers"/> layers train), the fusion and the projector, counted from the
    /// folders' configs on the meta device. A folder that does not open is a problem of its field.
    /// </summary>
    public (TrainingMemoryEstimate? Estimate, IReadOnlyList<SpecProblem> Problems) EstimateMemory(string artifactRoot)
    {
        var problems = new List<SpecProblem>();
        PretrainedModel? Shape(string field, string? model, PretrainedModality modality) => PretrainedArchitectures.ShapeOrProblem(field, model, modality, artifactRoot, problems);
        using var llm = Shape("eaa.llm", Llm, PretrainedModality.Language);
        var (frozen, trainable) = (0L, 0L);
        var streams = new List<int>();
        foreach (var (slot, field, used) in new[] { (Semantic, "eaa.semantic.model", UsesSemantic), (Acoustic, "eaa.acoustic.model", UsesAcoustic) })
        {
            if (!used) continue;
            if (slot.Kind != EncoderSlotConfig.PretrainedKind) { streams.Add(slot.Size); continue; }
            using var encoder = Shape(field, slot.Model, PretrainedModality.Speech);
            if (encoder is null) continue;
            var tuned = encoder.parameter_count() * Math.Min(TrainableLayers, encoder.LayerCount) / Math.Max(1, encoder.LayerCount); // the layers hold nearly all weights
            (frozen, trainable) = (frozen + encoder.parameter_count() - tuned, trainable + tuned);
            streams.Add(encoder.HiddenSize);
        }
        if (llm is null || problems.Count > 0) return (null, problems);
        var adapters = Lora.AdapterParameters(llm);
        // Fusion: a projection and LayerNorm per stream, attention (4 d x d) per attending stream; F (2 or 4 parts of d) projected to the LLM.
        long d = FusionSize;
        var fusion = streams.Sum(width => width * d + 3 * d + 4 * (d * d + d)) + (streams.Count == 2 ? 4 : 2) * d * (llm.HiddenSize + 1);
        return (new TrainingMemoryEstimate(frozen + llm.parameter_count(), trainable + adapters + fusion), []);
    }

    /// <summary>Adds this config's problems (paths under "eaa") to the list.</summary>
    public void Validate(ExperimentSpec spec, List<SpecProblem> problems)
    {
        if (spec.Modalities != Modalities.TextAudio && spec.Modalities != Modalities.Audio)
            problems.Add(new("modalities", $"EAA hears audio (and reads the transcripts the context names): modalities must be '{Modalities.Audio}' or '{Modalities.TextAudio}', not '{spec.Modalities}'"));
        if (spec.Modalities == Modalities.Audio && Context != NoContext)
            problems.Add(new("eaa.context", $"context '{Context}' puts transcripts in the prompt, which modalities '{Modalities.Audio}' excludes; use context '{NoContext}' or modalities '{Modalities.TextAudio}'"));
        foreach (var (slot, path) in new[] { (Semantic, "eaa.semantic"), (Acoustic, "eaa.acoustic") })
        {
            if (slot is null) { problems.Add(new(path, "required (or leave it out for the defaults)")); continue; }
            slot.Validate(path, problems);
            if (slot.Kind == EncoderSlotConfig.PretrainedKind && slot.Layer != -1 && TrainableLayers > 0)
                problems.Add(new($"{path}.layer", $"tuning the last {TrainableLayers} layers reads the encoder to its last layer: keep layer -1, or set eaa.trainableLayers to 0 to read layer {slot.Layer} frozen"));
        }
        if (TrainableLayers < 0) problems.Add(new("eaa.trainableLayers", $"must be 0 or more, got {TrainableLayers}"));
        if (!EncoderChoices.Contains(Encoders)) problems.Add(new("eaa.encoders", $"unknown choice '{Encoders}'; one of {string.Join(", ", EncoderChoices)}"));
        if (!FusionChoices.Contains(Fusion)) problems.Add(new("eaa.fusion", $"unknown fusion '{Fusion}'; one of {string.Join(", ", FusionChoices)}"));
        if (FusionSize < 1) problems.Add(new("eaa.fusionSize", $"must be at least 1, got {FusionSize}"));
        if (FusionHeads < 1 || (FusionSize >= 1 && FusionSize % FusionHeads != 0))
            problems.Add(new("eaa.fusionHeads", $"must be at least 1 and divide fusionSize {FusionSize}, got {FusionHeads}"));
        if (AudioStride < 1) problems.Add(new("eaa.audioStride", $"must be at least 1, got {AudioStride}"));
        if (!ContextChoices.Contains(Context)) problems.Add(new("eaa.context", $"unknown context '{Context}'; one of {string.Join(", ", ContextChoices)}"));
        if (string.IsNullOrWhiteSpace(Llm))
            problems.Add(new("eaa.llm", "the LLM's model folder is required (a LLaMA or Qwen2 folder under the artifact root's models/, or an absolute path; `models tiny --architecture llama` makes a small one to try a grid on CPU)"));
        if (string.IsNullOrWhiteSpace(Instruction)) problems.Add(new("eaa.instruction", "must not be empty"));
        Lora.Validate("eaa", problems);
        if (!ScoringChoices.Contains(Scoring)) problems.Add(new("eaa.scoring", $"unknown scoring '{Scoring}'; one of {string.Join(", ", ScoringChoices)}"));
        if (MaxAnswerTokens < 1) problems.Add(new("eaa.maxAnswerTokens", $"must be at least 1, got {MaxAnswerTokens}"));
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) problems.Add(new("eaa.dropout", $"must be in [0, 1), got {Dropout}"));
    }
}
