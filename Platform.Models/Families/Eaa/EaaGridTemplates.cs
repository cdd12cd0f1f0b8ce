using System.Text.Json.Nodes;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Families.Eaa;

/// <summary>
/// The grids behind the EAA paper's comparisons (each over the grid's seeds): the context settings
/// of Table 3, the fusion attentions of Fig. 2, the encoders (one, the other, both), and LoRA's rank
/// as a sensitivity axis. The base spec has the paper's optimisation (AdamW 5e-6, linear warm-up then
/// cosine decay, batch 2; the paper gives no warm-up length, so the spec's 10% of the steps, nor
/// clipping, so Hugging Face's Trainer default of 1.0) and
/// defaults; the lab's model folders are fields of the spec (eaa.llm, eaa.semantic.model,
/// eaa.acoustic.model), set with `submit --set` or on the form.
/// </summary>
public static class EaaGridTemplates
{
    public static GridTemplate Context { get; } = new(
        "eaa-context",
        FamilyCatalog.Eaa,
        "EAA's context-aware instruction (Table 3): audio only, with the current transcript, with the preceding and current transcripts.",
        BaseSpec,
        [new GridAxis("context", [
            Row("audio only", ("eaa.context", EaaConfig.NoContext)),
            Row("current", ("eaa.context", EaaConfig.CurrentContext)),
            Row("preceding + current", ("eaa.context", EaaConfig.PrecedingContext)),
        ])],
        "preceding + current");

    public static GridTemplate Attention { get; } = new(
        "eaa-attention",
        FamilyCatalog.Eaa,
        "EAA's fusion attention (Fig. 2): self-attention only, acoustic queries semantic, semantic queries acoustic, dual cross-attention.",
        BaseSpec,
        [new GridAxis("fusion", [
            Row("self-attention", ("eaa.fusion", EaaConfig.SelfAttention)),
            Row("acoustic → semantic", ("eaa.fusion", EaaConfig.AcousticQueriesSemantic)),
            Row("semantic → acoustic", ("eaa.fusion", EaaConfig.SemanticQueriesAcoustic)),
            Row("dual", ("eaa.fusion", EaaConfig.DualAttention)),
        ])],
        "dual");

    public static GridTemplate Encoders { get; } = new(
        "eaa-encoders",
        FamilyCatalog.Eaa,
        "EAA's encoders: the semantic (HuBERT) alone, the acoustic (BEATs) alone, both fused.",
        BaseSpec,
        [new GridAxis("encoders", [
            Row("semantic only", ("eaa.encoders", EaaConfig.SemanticOnly)),
            Row("acoustic only", ("eaa.encoders", EaaConfig.AcousticOnly)),
            Row("both", ("eaa.encoders", EaaConfig.Both)),
        ])],
        "both");

    public static GridTemplate LoraRank { get; } = new(
        "eaa-lora-rank",
        FamilyCatalog.Eaa,
        "LoRA's rank as a sensitivity axis (the paper's 2 beside 1, 4 and 8).",
        BaseSpec,
        [GridAxis.Over("eaa.loraRank", [1, 2, 4, 8])],
        "2");

    public static IReadOnlyList<GridTemplate> All { get; } = [Context, Attention, Encoders, LoraRank];

    private static ExperimentSpec BaseSpec(string corpus) => new()
    {
        Family = FamilyCatalog.Eaa,
        Corpus = corpus,
        LabelSet = LabelSets.For(corpus).FirstOrDefault()?.Name ?? "",
        Modalities = Modalities.TextAudio,
        Optimizer = OptimizerNames.AdamW,
        LearningRate = 5e-6,
        Schedule = LearningRateSchedules.WarmupCosine,
        MaxGradientNorm = 1,
        WeightDecay = 0.01,
        BatchSize = 2,
        Epochs = 10,
        Patience = 3,
        Eaa = new EaaConfig(),
    };

    private static GridAxisValue Row(string label, params (string Field, JsonNode Value)[] settings) =>
        new(label, settings.ToDictionary(s => s.Field, s => (JsonNode?)s.Value));
}
