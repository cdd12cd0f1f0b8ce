using System.Text.Json.Nodes;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Bcaf;

namespace EmotionLab.Models.Tests.Families.Bcaf;

public sealed class BcafConfigTests
{
    public static ExperimentSpec Spec(BcafConfig config) => new()
    {
        Family = FamilyCatalog.Bcaf,
        Corpus = "emosynth",
        LabelSet = "meld7",
        Modalities = Modalities.TextAudio,
        LearningRate = 1e-4,
        Patience = 15,
        Bcaf = config,
    };

    [Fact]
    public void The_defaults_are_the_papers_and_validate()
    {
        var config = new BcafConfig();
        Assert.Empty(ExperimentSpecValidator.Validate(Spec(config)));
        Assert.True(config.UseIcn && config.UseBan && config.UseCan);
        Assert.Equal((BcafConfig.Ban, 512, 0.3), (config.Attention, config.LatentSize, config.Dropout));
        Assert.True(FamilyCatalog.Find(FamilyCatalog.Bcaf)!.Available);
    }

    /// <summary>One bad field (or combination), the field its message belongs to, and a piece of the message.</summary>
    public static TheoryData<string, string, string> InvalidConfigs => new()
    {
        { """{"modalities":"text"}""", "modalities", "modalities must be 'text+audio'" },
        { """{"modalities":"audio"}""", "modalities", "modalities must be 'text+audio'" },
        { """{"bcaf":{"attention":"mha"}}""", "bcaf.attention", "unknown attention variant 'mha'" },
        { """{"bcaf":{"useBan":false,"attention":"jan"}}""", "bcaf.attention", "useBan=false removes" },
        { """{"bcaf":{"heads":3}}""", "bcaf.heads", "divide the encoders' size 128" },
        { """{"bcaf":{"heads":0}}""", "bcaf.heads", "at least 1" },
        { """{"bcaf":{"audio":{"size":64}}}""", "bcaf.audio.size", "must equal bcaf.text.size 128" },
        { """{"bcaf":{"layers":0}}""", "bcaf.layers", "1..12" },
        { """{"bcaf":{"latentSize":0}}""", "bcaf.latentSize", "at least 1" },
        { """{"bcaf":{"segments":0}}""", "bcaf.segments", "1..256" },
        { """{"bcaf":{"alpha":-0.5}}""", "bcaf.alpha", "zero or positive" },
        { """{"bcaf":{"beta":-1}}""", "bcaf.beta", "zero or positive" },
        { """{"bcaf":{"mu":-1}}""", "bcaf.mu", "zero or positive" },
        { """{"bcaf":{"dropout":1}}""", "bcaf.dropout", "[0, 1)" },
        { """{"bcaf":{"decision":"vote"}}""", "bcaf.decision", "unknown decision 'vote'" },
        { """{"bcaf":{"text":null}}""", "bcaf.text", "required" },
        { """{"bcaf":{"text":{"kind":"roberta","size":128,"heads":2}}}""", "bcaf.text.kind", "unknown encoder kind 'roberta'" },
        { """{"bcaf":{"audio":{"size":128,"heads":2,"frameStride":0}}}""", "bcaf.audio.frameStride", "at least 1" },
        { """{"bcaf":null}""", "bcaf", "required for family 'bcaf'" },
        { """{"baselines":{}}""", "baselines", "only for family 'baselines'" },
    };

    // Each case overrides fields of a valid default spec and must give exactly that field's problem.
    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void An_invalid_field_or_combination_is_rejected_with_a_message_naming_the_field(string overrides, string field, string message)
    {
        var json = JsonNode.Parse(ExperimentSpecJson.Serialize(Spec(new BcafConfig())))!.AsObject();
        Merge(json, JsonNode.Parse(overrides)!.AsObject());

        var result = ExperimentSpecJson.ParseAndValidate(json.ToJsonString());

        Assert.Null(result.Spec);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(field, problem.Field);
        Assert.Contains(message, problem.Message);
    }

    private static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (name, value) in overrides.ToArray())
        {
            if (value is JsonObject o && target[name] is JsonObject existing) Merge(existing, o);
            else target[name] = value?.DeepClone();
        }
    }

    [Fact]
    public void Without_the_ban_the_default_attention_is_accepted_and_the_spec_round_trips_through_json()
    {
        var spec = Spec(new BcafConfig { UseBan = false });
        Assert.Empty(ExperimentSpecValidator.Validate(spec));
        var parsed = ExperimentSpecJson.ParseAndValidate(ExperimentSpecJson.Serialize(spec));
        Assert.Equal(spec, parsed.Spec);
        Assert.Contains("\"useBan\": false", ExperimentSpecJson.Serialize(spec));
    }

    [Fact]
    public void The_grid_templates_reproduce_fig_6_and_table_ii_as_valid_variants()
    {
        Assert.Same(BcafGridTemplates.Modules, GridTemplates.Find("bcaf-modules"));
        Assert.Same(BcafGridTemplates.Attention, GridTemplates.Find("bcaf-attention"));
        Assert.Same(BcafGridTemplates.Layers, GridTemplates.Find("bcaf-layers"));

        foreach (var template in BcafGridTemplates.All)
        {
            var baseSpec = template.BaseSpecFor("emosynth");
            Assert.Equal((FamilyCatalog.Bcaf, Modalities.TextAudio, OptimizerNames.Adam, 1e-4, 1e-4, 15),
                (baseSpec.Family, baseSpec.Modalities, baseSpec.Optimizer, baseSpec.LearningRate, baseSpec.WeightDecay, baseSpec.Patience));
            var (variants, problems) = GridExpansion.Expand(baseSpec, template.Axes);
            Assert.Empty(problems);
            Assert.Contains(variants, v => v.Name == template.ReferenceVariant);
            // The reference is the full, paper-default model.
            Assert.Equal(new BcafConfig(), variants.Single(v => v.Name == template.ReferenceVariant).Spec.Bcaf);
        }

        var modules = GridExpansion.Expand(BcafGridTemplates.Modules.BaseSpecFor("emosynth"), BcafGridTemplates.Modules.Axes).Variants.ToDictionary(v => v.Name, v => v.Spec.Bcaf!);
        Assert.Equal(["full", "w/o ICN", "w/o BAN", "w/o CAN"], modules.Keys);
        Assert.Equal(new BcafConfig(), modules["full"]);
        Assert.Equal(new BcafConfig { UseIcn = false }, modules["w/o ICN"]);
        Assert.Equal(new BcafConfig { UseBan = false }, modules["w/o BAN"]);
        Assert.Equal(new BcafConfig { UseCan = false }, modules["w/o CAN"]);

        var attention = GridExpansion.Expand(BcafGridTemplates.Attention.BaseSpecFor("emosynth"), BcafGridTemplates.Attention.Axes).Variants;
        Assert.Equal(["BAN", "JAN", "BAN-SA", "BAN-CA"], attention.Select(v => v.Name));
        Assert.Equal(BcafConfig.AttentionVariants, attention.Select(v => v.Spec.Bcaf!.Attention));

        var layers = GridExpansion.Expand(BcafGridTemplates.Layers.BaseSpecFor("emosynth"), BcafGridTemplates.Layers.Axes).Variants;
        Assert.Equal(28, layers.Count);
        Assert.Equal(7, layers.Single(v => v.Name == "BAN-CA, 7").Spec.Bcaf!.Layers);
    }

    [Fact]
    public void A_spec_giving_some_encoder_fields_keeps_bcafs_defaults_for_the_others()
    {
        var json = JsonNode.Parse(ExperimentSpecJson.Serialize(Spec(new BcafConfig())))!.AsObject();
        json["bcaf"] = JsonNode.Parse("""{"audio":{"layers":2},"text":{"layers":0}}""");
        var spec = ExperimentSpecJson.ParseAndValidate(json.ToJsonString()).Spec!;
        Assert.Equal(new BcafConfig().Audio with { Layers = 2 }, spec.Bcaf!.Audio);
        Assert.Equal(new BcafConfig().Text with { Layers = 0 }, spec.Bcaf.Text);
        Assert.Equal(600, new BcafConfig().Audio.MaxLength);
        // Each config has its own slot records: parsing one spec leaves the defaults of others alone.
        Assert.Equal(1, new BcafConfig().Audio.Layers);
    }

    [Fact]
    public void The_encoder_slot_defaults_are_small_and_share_one_width()
    {
        var config = new BcafConfig();
        Assert.Equal(EncoderSlotConfig.ScratchKind, config.Text.Kind);
        Assert.Equal(config.Text.Size, config.Audio.Size);
        Assert.True(config.Audio.MaxLength > config.Text.MaxLength, "audio lengths are frames (10 ms), text lengths words");
    }
}
