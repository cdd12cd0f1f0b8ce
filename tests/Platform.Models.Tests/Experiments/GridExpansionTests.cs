using System.Text.Json.Nodes;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;

namespace EmotionLab.Models.Tests.Experiments;

public sealed class GridExpansionTests
{
    [Fact]
    public void The_baselines_template_expands_to_three_valid_variants_that_agree_with_their_modalities()
    {
        var template = GridTemplates.Find("baselines")!;
        var (variants, problems) = GridExpansion.Expand(template.BaseSpecFor("emosynth"), template.Axes);
        Assert.Empty(problems);
        Assert.Equal(["text", "audio", "concat"], variants.Select(v => v.Name));
        Assert.Equal(["text", "audio", "text+audio"], variants.Select(v => v.Spec.Modalities));
        Assert.Equal(["text", "audio", "concat"], variants.Select(v => v.Spec.Baselines!.Variant));
        Assert.Contains(template.ReferenceVariant, variants.Select(v => v.Name));
    }

    [Fact]
    public void Axes_multiply_and_each_variant_is_named_by_its_labels()
    {
        var baseSpec = new ExperimentSpec { Corpus = "emosynth", LabelSet = "meld7", Baselines = new BaselinesConfig() };
        var (variants, problems) = GridExpansion.Expand(baseSpec,
            [GridAxis.Over("learningRate", 1e-3, 1e-4), GridAxis.Over("baselines.hiddenSize", 64, 128, 256)]);
        Assert.Empty(problems);
        Assert.Equal(6, variants.Count);
        Assert.Contains(variants, v => v.Name == "0.0001, 256" && v.Spec.LearningRate == 1e-4 && v.Spec.Baselines!.HiddenSize == 256);
    }

    [Fact]
    public void A_field_the_spec_does_not_have_or_an_invalid_combination_is_named()
    {
        var baseSpec = new ExperimentSpec { Corpus = "emosynth", LabelSet = "meld7", Baselines = new BaselinesConfig() };
        var (_, unknown) = GridExpansion.Expand(baseSpec, [GridAxis.Over("baselines.hiddenSise", 64)]);
        Assert.Contains(unknown, p => p.Field == "baselines.hiddenSise");

        // The audio variant with text-only input cannot run.
        var (variants, invalid) = GridExpansion.Expand(baseSpec with { Modalities = Modalities.Text }, [GridAxis.Over("baselines.variant", "text", "audio")]);
        Assert.Single(variants);
        Assert.Contains(invalid, p => p.Message.StartsWith("variant 'audio'", StringComparison.Ordinal));
    }
}
