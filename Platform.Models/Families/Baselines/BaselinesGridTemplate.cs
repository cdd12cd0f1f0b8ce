using System.Text.Json.Nodes;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Families.Baselines;

/// <summary>The three baselines side by side: text only, audio only, and their concatenation (the reference).</summary>
public static class BaselinesGridTemplate
{
    public static GridTemplate Template { get; } = new(
        "baselines",
        FamilyCatalog.Baselines,
        "Text-only, audio-only and concatenation late fusion on the corpus's first label set.",
        corpus => new ExperimentSpec
        {
            Family = FamilyCatalog.Baselines, Corpus = corpus, LabelSet = Corpora.LabelSets.For(corpus).FirstOrDefault()?.Name ?? "",
            Baselines = new BaselinesConfig(),
        },
        [new GridAxis("variant", BaselinesConfig.Variants.Select(Row).ToList())],
        BaselinesConfig.ConcatVariant);

    // A row sets the variant and the modalities it reads, which must agree.
    private static GridAxisValue Row(string variant) => new(variant, new Dictionary<string, JsonNode?>
    {
        ["baselines.variant"] = variant,
        ["modalities"] = BaselinesConfig.ModalitiesOf(variant),
    });
}
