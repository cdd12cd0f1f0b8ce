using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Eaa;

namespace EmotionLab.Models.Tests.Families.Eaa;

/// <summary>EAA's config: the paper's defaults, and a named problem for each bad field.</summary>
public sealed class EaaConfigTests
{
    private static ExperimentSpec Spec(EaaConfig config, string modalities = Modalities.TextAudio) => new()
    {
        Family = FamilyCatalog.Eaa, Corpus = "emosynth", LabelSet = "meld7", Modalities = modalities, Optimizer = OptimizerNames.AdamW, Eaa = config,
    };

    [Fact]
    public void The_defaults_are_the_papers()
    {
        var config = new EaaConfig();
        Assert.Equal((2, EaaConfig.Both, EaaConfig.DualAttention, EaaConfig.PrecedingContext, 768), (config.TrainableLayers, config.Encoders, config.Fusion, config.Context, config.FusionSize));
        Assert.Equal((2, 16.0, 0.2), (config.LoraRank, config.LoraAlpha, config.LoraDropout));
        Assert.Equal("Describe the speaker's emotion in one word.", config.Instruction);
        var spec = EaaGridTemplates.Context.BaseSpecFor("meld");
        Assert.Equal((OptimizerNames.AdamW, 5e-6, 2), (spec.Optimizer, spec.LearningRate, spec.BatchSize));
    }

    [Fact]
    public void Without_an_llm_folder_validation_names_the_field()
    {
        var problems = ExperimentSpecValidator.Validate(Spec(new EaaConfig()));
        var problem = Assert.Single(problems);
        Assert.Equal("eaa.llm", problem.Field);
        Assert.Contains("models tiny --architecture llama", problem.Message);
    }

    public static TheoryData<EaaConfig, string, string, string> Invalid => new()
    {
        { new EaaConfig { Llm = "x", Fusion = "triple" }, Modalities.TextAudio, "eaa.fusion", "unknown fusion 'triple'" },
        { new EaaConfig { Llm = "x", Encoders = "none" }, Modalities.TextAudio, "eaa.encoders", "unknown choice 'none'" },
        { new EaaConfig { Llm = "x", Context = "dialogue" }, Modalities.TextAudio, "eaa.context", "unknown context 'dialogue'" },
        { new EaaConfig { Llm = "x" }, Modalities.Audio, "eaa.context", "modalities 'audio' excludes" },
        { new EaaConfig { Llm = "x" }, Modalities.Text, "modalities", "EAA hears audio" },
        { new EaaConfig { Llm = "x", FusionSize = 30, FusionHeads = 4 }, Modalities.TextAudio, "eaa.fusionHeads", "divide fusionSize 30" },
        { new EaaConfig { Llm = "x", LoraRank = 0 }, Modalities.TextAudio, "eaa.loraRank", "at least 1" },
        { new EaaConfig { Llm = "x", LoraDropout = 1 }, Modalities.TextAudio, "eaa.loraDropout", "[0, 1)" },
        { new EaaConfig { Llm = "x", LoraTargets = " , " }, Modalities.TextAudio, "eaa.loraTargets", "at least one Linear layer" },
        { new EaaConfig { Llm = "x", AudioStride = 0 }, Modalities.TextAudio, "eaa.audioStride", "at least 1" },
        { new EaaConfig { Llm = "x", TrainableLayers = -1 }, Modalities.TextAudio, "eaa.trainableLayers", "0 or more" },
        { new EaaConfig { Llm = "x", Semantic = new() { Kind = "pretrained" } }, Modalities.TextAudio, "eaa.semantic.model", "needs its model folder" },
        { new EaaConfig { Llm = "x", Acoustic = new() { Kind = "pretrained", Model = "beats", Layer = 3 } }, Modalities.TextAudio, "eaa.acoustic.layer", "keep layer -1" },
        { new EaaConfig { Llm = "x", Scoring = "generate-later" }, Modalities.TextAudio, "eaa.scoring", "unknown scoring" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_bad_field_is_named_with_what_to_do(EaaConfig config, string modalities, string field, string message)
    {
        var problems = ExperimentSpecValidator.Validate(Spec(config, modalities));
        Assert.Contains(problems, p => p.Field == field && p.Message.Contains(message));
    }
}
