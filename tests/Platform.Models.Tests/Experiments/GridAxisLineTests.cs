using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;

namespace EmotionLab.Models.Tests.Experiments;

public sealed class GridAxisLineTests
{
    [Fact]
    public void Typed_axes_expand_with_numbers_booleans_and_strings_in_their_json_types()
    {
        var (axes, problems) = GridAxisLine.ParseAll("learningRate = 1e-3, 3e-3\n\n baselines.text.encoder = mean, \"transformer\" \r\n");
        Assert.Empty(problems);
        Assert.Equal(["learningRate", "baselines.text.encoder"], axes.Select(a => a.Name));
        Assert.Equal(["1e-3", "3e-3"], axes[0].Values.Select(v => v.Label));

        var baseSpec = new ExperimentSpec { Corpus = "emosynth", LabelSet = "meld7", Modalities = Modalities.Text, Baselines = new BaselinesConfig { Variant = "text" } };
        var (variants, expansionProblems) = GridExpansion.Expand(baseSpec, axes);
        Assert.Empty(expansionProblems);
        Assert.Equal(4, variants.Count);
        Assert.Equal([1e-3, 1e-3, 3e-3, 3e-3], variants.Select(v => v.Spec.LearningRate));
        Assert.Equal(["mean", "transformer", "mean", "transformer"], variants.Select(v => v.Spec.Baselines!.Text.Encoder));
    }

    [Fact]
    public void A_line_without_a_field_or_values_is_named_by_its_line_number()
    {
        var (axes, problems) = GridAxisLine.ParseAll("epochs = 5, 10\nseed 1 2\nbatchSize =  ,");
        Assert.Single(axes);
        Assert.Equal(2, problems.Count);
        Assert.Contains("line 2", problems[0].Message);
        Assert.Contains("line 3: axis 'batchSize' has no values", problems[1].Message);
    }

    [Fact]
    public void A_quoted_value_keeps_its_commas()
    {
        var (axes, problems) = GridAxisLine.ParseAll("eaa.loraTargets = \"q_proj,v_proj\", \"q_proj,k_proj,v_proj,o_proj\"\neaa.instruction = \"Say it, in \\\"one\\\" word.\"");
        Assert.Empty(problems);
        Assert.Equal(["q_proj,v_proj", "q_proj,k_proj,v_proj,o_proj"], axes[0].Values.Select(v => v.Settings["eaa.loraTargets"]!.GetValue<string>()));
        Assert.Equal("Say it, in \"one\" word.", Assert.Single(axes[1].Values).Settings["eaa.instruction"]!.GetValue<string>());
    }
}
