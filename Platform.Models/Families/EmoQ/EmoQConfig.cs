using System.Text.Json.Serialization;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.EmoQ;

/// <summary>
/// EmoQ, a speech-aware Q-Former feeding an LLM (shared/papers/emoq-speech-aware-qformer-llm.txt):
/// frozen HuBERT audio embeddings and the transcript fused by the EmoQ-Former (learnable queries
/// self-attending with the text, cross-attending to the audio, attentive pooling, L2 norm); stage 1
/// trains it with an auxiliary head on multi-objective affective learning (supervised contrastive
/// + focal loss, eq. 6); stage 2 injects the projected fused vector in place of an &lt;AUDIO&gt;
/// placeholder of the prompt of a Qwen2-family LLM tuned with LoRA on token-weighted
/// cross-entropy (eq. 7), and predicts by the softmax over the label words' first tokens (eqs. 8-9).
/// Every switch the paper ablates is a field with the paper's default; where the paper gives no
/// value (queries, pooling heads, the emotion-word weight, LoRA's alpha, stage 1's length) the
/// default is said so on the field.
/// </summary>
public sealed record EmoQConfig : IFamilyConfig
{
    public const string AudioInput = "audio";
    public const string TextInput = "text";
    public const string ConcatInput = "concat";
    public const string FormerInput = "former";

    /// <summary>
    /// Table 4's rows: audio only (HuBERT's embeddings pooled and projected into the LLM, no
    /// EmoQ-Former), text only (the transcript in the prompt, no soft prompt), audio + text without
    /// the EmoQ-Former (the pooled audio and text embeddings concatenated and projected), and the
    /// full model.
    /// </summary>
    public static IReadOnlyList<string> InputChoices { get; } = [AudioInput, TextInput, ConcatInput, FormerInput];

    /// <summary>The spec's modalities each input needs.</summary>
    public static string ModalitiesOf(string input) => input switch
    {
        AudioInput => Modalities.Audio,
        TextInput => Modalities.Text,
        _ => Modalities.TextAudio,
    };

    /// <summary>audio | text | concat | former (Table 4).</summary>
    public string Input { get; init; } = FormerInput;

    /// <summary>
    /// The audio encoder: the paper's frozen HuBERT-large as a pretrained folder (its hidden state
    /// at Layer, extracted once per corpus), or a from-scratch log-mel encoder standing in without
    /// weights (it trains with the bridge). MaxLength counts input frames (20 ms HuBERT, 10 ms log-mel).
    /// </summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public EncoderSlotConfig Audio { get; init; } = new() { Size = 64, Layers = 1, Heads = 2, MaxLength = 600, FrameStride = 4 };

    /// <summary>
    /// The EmoQ-Former's transformer: initialised from a RoBERTa folder (the paper's RoBERTa-base:
    /// its embeddings, self-attention and feed-forward; the cross-attention is new), or from scratch
    /// with Size, Layers and Heads over a word vocabulary of the train split. MaxLength counts text tokens.
    /// </summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public EncoderSlotConfig Former { get; init; } = new() { Size = 64, Layers = 2, Heads = 2, MaxLength = 64 };

    /// <summary>N_q, the learnable queries (the paper does not give it; BLIP-2's Q-Former uses 32).</summary>
    public int Queries { get; init; } = 32;

    /// <summary>Heads of the attentive pooling over the query outputs (the paper says "multiple"; must divide the former's width).</summary>
    public int PoolingHeads { get; init; } = 4;

    /// <summary>Stage 1: the supervised contrastive term of MAL (eq. 4; Table 5).</summary>
    public bool Scl { get; init; } = true;

    /// <summary>τ of eq. (4).</summary>
    public double Temperature { get; init; } = 0.07;

    /// <summary>Stage 1: focal loss (eq. 5) on the auxiliary head; off, plain cross-entropy (Table 5).</summary>
    public bool Focal { get; init; } = true;

    /// <summary>γ of eq. (5).</summary>
    public double Gamma { get; init; } = 2;

    /// <summary>λ of eq. (6).</summary>
    public double Lambda { get; init; } = 1;

    /// <summary>Stage-1 pre-training of the bridge with the auxiliary head (Table 6); off, the whole model trains end to end from the start.</summary>
    public bool Stage1 { get; init; } = true;

    /// <summary>Stage 1's most epochs (the paper does not give it); early stopping on validation applies with the spec's patience.</summary>
    public int Stage1Epochs { get; init; } = 10;

    /// <summary>Stage 1's learning rate (the paper's one AdamW rate, 1e-5, for both stages).</summary>
    public double Stage1LearningRate { get; init; } = 1e-5;

    /// <summary>Hidden width of stage 1's auxiliary MLP head (discarded after stage 1).</summary>
    public int AuxiliaryHiddenSize { get; init; } = 256;

    /// <summary>The LLM's folder (the paper's Qwen2.5-7B-Instruct; any Qwen2 or LLaMA folder), absolute or under the artifact root's models/.</summary>
    public string? Llm { get; init; }

    public int LoraRank { get; init; } = 16;

    /// <summary>LoRA's scaling numerator (the paper gives none; 2 x rank, a common choice).</summary>
    public double LoraAlpha { get; init; } = 32;

    public double LoraDropout { get; init; } = 0.1;

    /// <summary>The LLM's Linear layers that get LoRA adapters, comma-separated (PEFT's default for Qwen2: q_proj,v_proj).</summary>
    public string LoraTargets { get; init; } = "q_proj,v_proj";

    /// <summary>The LoRA fields as the adapters take them.</summary>
    [JsonIgnore]
    public LoraSettings Lora => LoraSettings.From(LoraRank, LoraAlpha, LoraDropout, LoraTargets);

    /// <summary>w of eq. (7) on the emotion word's tokens (the end of the answer weighs 1); the paper says "a high value" without one.</summary>
    public double EmotionWordWeight { get; init; } = 2;

    /// <summary>Puts the speaker's name in the prompt when the corpus has one (Fig. 2).</summary>
    public bool Speaker { get; init; } = true;

    /// <summary>Dropout in the EmoQ-Former, the auxiliary head and the scratch encoders.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Whether the run has a bridge (everything but text only) that stage 1 can pre-train.</summary>
    [JsonIgnore] public bool HasBridge => Input != TextInput;

    [JsonIgnore] public bool UsesAudio => Input != TextInput;

    [JsonIgnore] public bool UsesText => Input != AudioInput;

    /// <summary>Whether the EmoQ-Former's text side reads a RoBERTa folder's tokens.</summary>
    [JsonIgnore] public bool FormerIsPretrained => Former.Kind == EncoderSlotConfig.PretrainedKind;

    /// <summary>
    /// The spec stage 1 trains under: stage 1's epochs and learning rate, and every stage-2 field
    /// (LoRA, the emotion-word weight, the prompt's speaker) at its default, so variants that differ
    /// only in stage 2 share one stage-1 hash and one stage-1 result. The LLM folder stays (the spec
    /// must stay valid), so variants over different LLMs pre-train stage 1 each.
    /// </summary>
    public static ExperimentSpec Stage1Spec(ExperimentSpec spec)
    {
        var config = spec.EmoQ ?? throw new ArgumentException("an emoq spec needs its emoQ config");
        var defaults = new EmoQConfig();
        return spec with
        {
            Epochs = config.Stage1Epochs,
            LearningRate = config.Stage1LearningRate,
            EmoQ = config with
            {
                LoraRank = defaults.LoraRank, LoraAlpha = defaults.LoraAlpha, LoraDropout = defaults.LoraDropout, LoraTargets = defaults.LoraTargets,
                EmotionWordWeight = defaults.EmotionWordWeight, Speaker = defaults.Speaker,
            },
        };
    }

    /// <summary>Stage 1's epochs (when it is on) and stage 2's.</summary>
    public int PlannedEpochs(ExperimentSpec spec) => (Stage1 ? Stage1Epochs : 0) + spec.Epochs;

    /// <summary>The LLM as a tiny Qwen2, the audio encoder as a tiny HuBERT, the EmoQ-Former from a tiny RoBERTa.</summary>
    public IReadOnlyList<string> TinyModelSettings(Func<string, string> folderFor) =>
    [
        $"emoQ.llm = {folderFor("qwen2")}",
        $"emoQ.audio.kind = {EncoderSlotConfig.PretrainedKind}", $"emoQ.audio.model = {folderFor("hubert")}",
        $"emoQ.former.kind = {EncoderSlotConfig.PretrainedKind}", $"emoQ.former.model = {folderFor("roberta")}",
    ];

    /// <summary>
    /// The frozen LLM with its LoRA adapters, the frozen HuBERT (cached, so only its folder is
    /// checked), and the EmoQ-Former and projector, counted from the folders' configs on the meta
    /// device. A folder that does not open is a problem of its field.
    /// </summary>
    public (TrainingMemoryEstimate? Estimate, IReadOnlyList<SpecProblem> Problems) EstimateMemory(string artifactRoot)
    {
        var problems = new List<SpecProblem>();
        PretrainedModel? Shape(string field, string? model, PretrainedModality modality) => PretrainedArchitectures.ShapeOrProblem(field, model, modality, artifactRoot, problems);
        using var llm = Shape("emoQ.llm", Llm, PretrainedModality.Language);
        using var audio = UsesAudio && Audio.Kind == EncoderSlotConfig.PretrainedKind ? Shape("emoQ.audio.model", Audio.Model, PretrainedModality.Speech) : null;
        using var former = HasBridge && FormerIsPretrained ? Shape("emoQ.former.model", Former.Model, PretrainedModality.Text) : null;
        if (llm is null || problems.Count > 0) return (null, problems);
        var adapters = Lora.AdapterParameters(llm);
        // The former: RoBERTa's weights plus a cross-attention (4 d x d) per layer; or the scratch
        // layers (about 12 d x d each with the feed-forward); the audio projection and the LLM projector.
        long d = former?.HiddenSize ?? Former.Size;
        var layers = former?.LayerCount ?? Former.Layers;
        var bridge = (former?.parameter_count() ?? 12L * d * d * layers) + 4 * (d * d + d) * layers + (audio?.HiddenSize ?? Audio.Size) * d + d * (llm.HiddenSize + 1);
        return (new TrainingMemoryEstimate(llm.parameter_count() + (audio?.parameter_count() ?? 0), adapters + bridge), []);
    }

    /// <summary>Adds this config's problems (paths under "emoQ") to the list.</summary>
    public void Validate(ExperimentSpec spec, List<SpecProblem> problems)
    {
        if (!InputChoices.Contains(Input)) problems.Add(new("emoQ.input", $"unknown input '{Input}'; one of {string.Join(", ", InputChoices)}"));
        else if (spec.Modalities != ModalitiesOf(Input))
            problems.Add(new("modalities", $"EmoQ's input '{Input}' reads modalities '{ModalitiesOf(Input)}', not '{spec.Modalities}'; set them to match (Table 4's rows)"));
        foreach (var (slot, path) in new[] { (Audio, "emoQ.audio"), (Former, "emoQ.former") })
        {
            if (slot is null) { problems.Add(new(path, "required (or leave it out for the defaults)")); continue; }
            slot.Validate(path, problems);
        }
        if (Former is { Kind: EncoderSlotConfig.PretrainedKind, Layer: not -1 })
            problems.Add(new("emoQ.former.layer", $"the EmoQ-Former takes every layer of its RoBERTa folder; keep layer -1, got {Former.Layer}"));
        if (Former is { Kind: EncoderSlotConfig.ScratchKind, Layers: < 1 })
            problems.Add(new("emoQ.former.layers", "the EmoQ-Former needs at least one layer (self-attention, cross-attention and feed-forward)"));
        if (Queries < 1) problems.Add(new("emoQ.queries", $"must be at least 1, got {Queries}"));
        if (PoolingHeads < 1 || (Former is { Kind: EncoderSlotConfig.ScratchKind, Size: >= 1 } && Former.Size % PoolingHeads != 0))
            problems.Add(new("emoQ.poolingHeads", $"must be at least 1 and divide the former's size {Former?.Size}, got {PoolingHeads}"));
        if (!(Temperature > 0) || double.IsInfinity(Temperature)) problems.Add(new("emoQ.temperature", $"must be positive, got {Temperature}"));
        if (!(Gamma >= 0) || double.IsInfinity(Gamma)) problems.Add(new("emoQ.gamma", $"must be 0 or more, got {Gamma}"));
        if (!(Lambda >= 0) || double.IsInfinity(Lambda)) problems.Add(new("emoQ.lambda", $"must be 0 or more, got {Lambda}"));
        if (Stage1 && !HasBridge)
            problems.Add(new("emoQ.stage1", "text-only input has no EmoQ-Former or projection to pre-train; set stage1 false"));
        if (Stage1 && !Scl && Lambda == 0)
            problems.Add(new("emoQ.lambda", "with scl off and lambda 0 stage 1 has no loss; set lambda above 0 or turn scl on"));
        if (Stage1Epochs < 1) problems.Add(new("emoQ.stage1Epochs", $"must be at least 1, got {Stage1Epochs}"));
        if (!(Stage1LearningRate > 0) || double.IsInfinity(Stage1LearningRate))
            problems.Add(new("emoQ.stage1LearningRate", $"must be positive, got {Stage1LearningRate}"));
        if (AuxiliaryHiddenSize < 1) problems.Add(new("emoQ.auxiliaryHiddenSize", $"must be at least 1, got {AuxiliaryHiddenSize}"));
        if (string.IsNullOrWhiteSpace(Llm))
            problems.Add(new("emoQ.llm", "the LLM's model folder is required (a Qwen2 or LLaMA folder under the artifact root's models/, or an absolute path; `models tiny --architecture qwen2` makes a small one to try a grid on CPU)"));
        Lora.Validate("emoQ", problems);
        if (!(EmotionWordWeight > 0) || double.IsInfinity(EmotionWordWeight))
            problems.Add(new("emoQ.emotionWordWeight", $"must be positive, got {EmotionWordWeight}"));
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) problems.Add(new("emoQ.dropout", $"must be in [0, 1), got {Dropout}"));
    }
}
