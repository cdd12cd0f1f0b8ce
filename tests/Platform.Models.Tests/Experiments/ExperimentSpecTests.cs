using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;

namespace EmotionLab.Models.Tests.Experiments;

public sealed class ExperimentSpecTests
{
    private static ExperimentSpec Baseline(string variant) => new()
    {
        Corpus = "emosynth",
        LabelSet = "meld7",
        Modalities = BaselinesConfig.ModalitiesOf(variant),
        Baselines = new BaselinesConfig { Variant = variant },
    };

    [Theory]
    [InlineData("text")]
    [InlineData("audio")]
    [InlineData("concat")]
    public void Every_baseline_variant_validates(string variant) => Assert.Empty(ExperimentSpecValidator.Validate(Baseline(variant)));

    public static TheoryData<string, string, string> InvalidSpecs => new()
    {
        { """{"family":"resnet","baselines":null}""", "family", "unknown family 'resnet'" },
        { """{"labelSet":"iemocap4"}""", "labelSet", "not a label set of corpus 'emosynth'" },
        { """{"corpus":"librispeech"}""", "corpus", "no label sets are known" },
        { """{"task":"epc"}""", "task", "does not support task 'epc'" },
        { """{"modalities":"text"}""", "modalities", "variant 'concat' uses modalities 'text+audio'" },
        { """{"modalities":"video"}""", "modalities", "unknown modalities 'video'" },
        { """{"epochs":0}""", "epochs", "at least 1" },
        { """{"learningRate":0}""", "learningRate", "positive" },
        { """{"weightDecay":-1}""", "weightDecay", "zero or positive" },
        { """{"patience":0}""", "patience", "at least 1" },
        { """{"optimizer":"sgd"}""", "optimizer", "unknown optimizer 'sgd'" },
        { """{"baselines":null}""", "baselines", "required for family 'baselines'" },
        { """{"baselines":{"variant":"late"}}""", "baselines.variant", "unknown variant 'late'" },
        { """{"baselines":{"dropout":1.5}}""", "baselines.dropout", "[0, 1)" },
        { """{"baselines":{"text":{"encoder":"transformer","embeddingSize":64,"heads":5}}}""", "baselines.text.heads", "divide embeddingSize 64" },
        { """{"baselines":{"audio":{"pooling":"max"}}}""", "baselines.audio.pooling", "unknown pooling 'max'" },
    };

    // Each case overrides one field of a valid concat spec and must give exactly that field's problem.
    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void An_invalid_field_gives_its_path_and_message(string overrides, string field, string message)
    {
        var valid = System.Text.Json.Nodes.JsonNode.Parse(ExperimentSpecJson.Serialize(Baseline("concat")))!.AsObject();
        foreach (var (name, value) in System.Text.Json.Nodes.JsonNode.Parse(overrides)!.AsObject().ToArray())
            valid[name] = value is System.Text.Json.Nodes.JsonObject o && valid[name] is System.Text.Json.Nodes.JsonObject existing
                ? Merge(existing, o) : value?.DeepClone();

        var result = ExperimentSpecJson.ParseAndValidate(valid.ToJsonString());

        Assert.Null(result.Spec);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(field, problem.Field);
        Assert.Contains(message, problem.Message);
    }

    private static System.Text.Json.Nodes.JsonObject Merge(System.Text.Json.Nodes.JsonObject target, System.Text.Json.Nodes.JsonObject overrides)
    {
        var merged = target.DeepClone().AsObject();
        foreach (var (name, value) in overrides) merged[name] = value?.DeepClone();
        return merged;
    }

    [Fact]
    public void A_config_of_another_family_is_reported_next_to_the_family()
    {
        var problems = ExperimentSpecValidator.Validate(Baseline("concat") with { Family = FamilyCatalog.EmoQ });
        Assert.Equal(["baselines", "emoQ"], problems.Select(p => p.Field));
        Assert.Contains("only for family 'baselines', but family is 'emoq'", problems[0].Message);
        Assert.Contains("required for family 'emoq'", problems[1].Message);
    }

    [Fact]
    public void Malformed_json_and_unknown_properties_are_problems_not_exceptions()
    {
        var wrongType = ExperimentSpecJson.Parse("""{"corpus":"emosynth","epochs":"ten"}""");
        Assert.Null(wrongType.Spec);
        Assert.Equal("epochs", Assert.Single(wrongType.Problems).Field);

        var typo = ExperimentSpecJson.Parse("""{"corpus":"emosynth","lerningRate":0.1}""");
        Assert.Null(typo.Spec);
        Assert.Contains("lerningRate", Assert.Single(typo.Problems).Message);

        Assert.NotEmpty(ExperimentSpecJson.Parse("{not json").Problems);
    }

    [Fact]
    public void Json_round_trips_and_the_hash_ignores_property_order_but_not_values()
    {
        var spec = Baseline("concat") with { Seed = 3, LearningRate = 0.002 };
        var json = ExperimentSpecJson.Serialize(spec);
        Assert.Contains("\"learningRate\": 0.002", json);
        var parsed = ExperimentSpecJson.Parse(json).Spec!;
        Assert.Equal(ExperimentSpecJson.Canonical(spec), ExperimentSpecJson.Canonical(parsed));

        var reordered = """
            {"baselines":{"audio":{"layers":1,"pooling":"meanstd"},"variant":"concat"},"seed":3,"learningRate":0.002,
             "modalities":"text+audio","labelSet":"meld7","corpus":"emosynth","family":"baselines"}
            """;
        var fromReordered = ExperimentSpecJson.Parse(reordered).Spec!;
        Assert.Equal(ExperimentSpecJson.Hash(spec), ExperimentSpecJson.Hash(fromReordered));
        Assert.Matches("^[0-9a-f]{64}$", ExperimentSpecJson.Hash(spec));
        Assert.NotEqual(ExperimentSpecJson.Hash(spec), ExperimentSpecJson.Hash(spec with { Seed = 4 }));
        Assert.NotEqual(ExperimentSpecJson.Hash(spec), ExperimentSpecJson.Hash(spec with { Baselines = spec.Baselines! with { HiddenSize = 64 } }));
    }
}
