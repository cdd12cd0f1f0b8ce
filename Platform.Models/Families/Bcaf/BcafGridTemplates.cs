using System.Text.Json.Nodes;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// The grids that reproduce the paper's BCAF tables (each over the grid's seeds): the module
/// ablations of Fig. 6 (full, w/o ICN, w/o BAN, w/o CAN), the attention variants of Table II
/// (BAN, JAN, BAN-SA, BAN-CA), and the depth search behind Table II's "Number of Layers" column.
/// The base spec has the paper's optimisation: Adam, learning rate 1e-4, L2 weight 1e-4, early
/// stopping patience 15, text and audio.
/// </summary>
public static class BcafGridTemplates
{
    public static GridTemplate Modules { get; } = new(
        "bcaf-modules",
        FamilyCatalog.Bcaf,
        "BCAF's module ablations (Fig. 6): the full model and the model without the interactive connection, bimodal attention or correlative attention network.",
        BaseSpec,
        [new GridAxis("module", [
            Row("full"),
            Row("w/o ICN", ("bcaf.useIcn", false)),
            Row("w/o BAN", ("bcaf.useBan", false)),
            Row("w/o CAN", ("bcaf.useCan", false)),
        ])],
        "full");

    public static GridTemplate Attention { get; } = new(
        "bcaf-attention",
        FamilyCatalog.Bcaf,
        "BCAF's attention variants (Table II): separate self- and cross-attention (BAN), joint attention (JAN), self-attention only (BAN-SA), cross-attention only (BAN-CA).",
        BaseSpec,
        [AttentionAxis()],
        "BAN");

    public static GridTemplate Layers { get; } = new(
        "bcaf-layers",
        FamilyCatalog.Bcaf,
        "Every attention variant at 1 to 7 layers (Table II's \"Number of Layers\": the depth each variant does best at).",
        BaseSpec,
        [AttentionAxis(), GridAxis.Over("bcaf.layers", [.. Enumerable.Range(1, 7).Select(n => (JsonNode)n)])],
        "BAN, 3");

    public static IReadOnlyList<GridTemplate> All { get; } = [Modules, Attention, Layers];

    private static ExperimentSpec BaseSpec(string corpus) => new()
    {
        Family = FamilyCatalog.Bcaf,
        Corpus = corpus,
        LabelSet = LabelSets.For(corpus).FirstOrDefault()?.Name ?? "",
        Modalities = Modalities.TextAudio,
        Optimizer = OptimizerNames.Adam,
        LearningRate = 1e-4,
        WeightDecay = 1e-4,
        Patience = 15,
        Bcaf = new BcafConfig(),
    };

    private static GridAxis AttentionAxis() => new("attention", [
        Row("BAN", ("bcaf.attention", BcafConfig.Ban)),
        Row("JAN", ("bcaf.attention", BcafConfig.Jan)),
        Row("BAN-SA", ("bcaf.attention", BcafConfig.BanSelfOnly)),
        Row("BAN-CA", ("bcaf.attention", BcafConfig.BanCrossOnly)),
    ]);

    private static GridAxisValue Row(string label, params (string Field, JsonNode Value)[] settings) =>
        new(label, settings.ToDictionary(s => s.Field, s => (JsonNode?)s.Value));
}
