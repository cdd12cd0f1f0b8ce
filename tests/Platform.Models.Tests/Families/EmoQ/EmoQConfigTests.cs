using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.EmoQ;

namespace EmotionLab.Models.Tests.Families.EmoQ;

/// <summary>EmoQ's spec: the paper's defaults, the input's modalities, and each bad field named.</summary>
public sealed class EmoQConfigTests
{
    private static ExperimentSpec Spec(EmoQConfig config, string? modalities = null) => EmoQGridTemplates.Modality.BaseSpecFor("emosynth") with
    {
        Modalities = modalities ?? EmoQConfig.ModalitiesOf(config.Input), EmoQ = config,
    };

    private static IReadOnlyList<string> Fields(ExperimentSpec spec) => ExperimentSpecValidator.Validate(spec).Select(p => p.Field).ToList();

    [Fact]
    public void The_defaults_are_the_papers_and_only_the_llm_folder_is_missing()
    {
        var config = new EmoQConfig();
        Assert.Equal((EmoQConfig.FormerInput, true, true, 0.07, 2.0, 1.0, true), (config.Input, config.Scl, config.Focal, config.Temperature, config.Gamma, config.Lambda, config.Stage1));
        Assert.Equal((16, 0.1), (config.LoraRank, config.LoraDropout));
        var template = EmoQGridTemplates.Modality.BaseSpecFor("emosynth");
        Assert.Equal((OptimizerNames.AdamW, 1e-5, 8), (template.Optimizer, template.LearningRate, template.BatchSize));
        Assert.Equal(["emoQ.llm"], Fields(Spec(config)));
        Assert.Empty(Fields(Spec(config with { Llm = "qwen" })));
    }

    [Fact]
    public void Each_bad_field_is_named()
    {
        var ok = new EmoQConfig { Llm = "qwen" };
        Assert.Equal(["modalities"], Fields(Spec(ok, Modalities.Audio)));
        Assert.Equal(["emoQ.input"], Fields(Spec(ok with { Input = "video" }, Modalities.TextAudio)));
        Assert.Equal(["emoQ.stage1"], Fields(Spec(ok with { Input = EmoQConfig.TextInput })));
        Assert.Empty(Fields(Spec(ok with { Input = EmoQConfig.TextInput, Stage1 = false })));
        Assert.Equal(["emoQ.queries"], Fields(Spec(ok with { Queries = 0 })));
        Assert.Equal(["emoQ.poolingHeads"], Fields(Spec(ok with { PoolingHeads = 3 })));
        Assert.Equal(["emoQ.temperature"], Fields(Spec(ok with { Temperature = 0 })));
        Assert.Equal(["emoQ.lambda"], Fields(Spec(ok with { Scl = false, Lambda = 0 })));
        Assert.Equal(["emoQ.stage1Epochs"], Fields(Spec(ok with { Stage1Epochs = 0 })));
        Assert.Equal(["emoQ.emotionWordWeight"], Fields(Spec(ok with { EmotionWordWeight = 0 })));
        Assert.Equal(["emoQ.loraTargets"], Fields(Spec(ok with { LoraTargets = " , " })));
        Assert.Equal(["emoQ.former.model"], Fields(Spec(ok with { Former = ok.Former with { Kind = "pretrained" } })));
    }

    [Fact]
    public void Variants_that_differ_only_in_stage_2_share_the_stage_1_spec()
    {
        var spec = Spec(new EmoQConfig { Llm = "qwen" });
        var stage1 = EmoQConfig.Stage1Spec(spec);
        Assert.Equal((10, 1e-5), (stage1.Epochs, stage1.LearningRate));
        var stage2Only = spec with { Epochs = 3, LearningRate = 1e-4, EmoQ = spec.EmoQ! with { LoraRank = 4, EmotionWordWeight = 5, Speaker = false } };
        Assert.Equal(ExperimentSpecJson.Hash(stage1), ExperimentSpecJson.Hash(EmoQConfig.Stage1Spec(stage2Only)));
        foreach (var changed in new[] { spec with { Seed = 1 }, spec with { EmoQ = spec.EmoQ! with { Scl = false } }, spec with { EmoQ = spec.EmoQ! with { Queries = 8 } } })
            Assert.NotEqual(ExperimentSpecJson.Hash(stage1), ExperimentSpecJson.Hash(EmoQConfig.Stage1Spec(changed)));
    }
}
