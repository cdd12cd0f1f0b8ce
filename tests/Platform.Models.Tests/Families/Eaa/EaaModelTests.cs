using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Eaa;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Llama;
using EmotionLab.Models.Tests.Training;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Tests.Families.Eaa;

/// <summary>EAA's parts on EmoSynth: the prompts and their context, what trains, and that every switch changes the computation.</summary>
[Collection(EmoSynthTrainingCollection.Name)]
public sealed class EaaModelTests(EmoSynthTrainingCorpus fixture)
{
    // Scratch log-mel encoders over the fixture's cache: these tests need no pretrained encoder.
    private static readonly EaaConfig Scratch = EaaLearningTests.TinyConfig with
    {
        Semantic = new EncoderSlotConfig { Size = 32, Layers = 1, Heads = 2, MaxLength = 300, FrameStride = 4 },
        Acoustic = new EncoderSlotConfig { Size = 32, Layers = 1, Heads = 2, MaxLength = 300, FrameStride = 4 },
    };

    // The dataset and the prompt (which owns the LLM's tokenizer): dispose both.
    private (EaaDataset Data, EaaPrompt Prompt, string LlmFolder) Prepare(EaaConfig config)
    {
        var artifacts = EaaLearningTests.Artifacts(fixture, "artifacts-eaa");
        var folder = Path.Combine(artifacts, "models", "tiny-llama");
        var prompt = new EaaPrompt(PretrainedTokenizer.Open(ModelFolder.Open(folder)), config.Instruction, config.Context, LabelWords.For(LabelSets.Meld7), folder);
        return (EaaDataset.Build(fixture.Corpus, LabelSets.Meld7, config, prompt,
            config.UsesSemantic ? fixture.Features : null, config.UsesAcoustic ? fixture.Features : null), prompt, folder);
    }

    private static EaaModel Model(EaaConfig config, EaaPrompt prompt, string llmFolder, int seed = 1)
    {
        torch.manual_seed(seed);
        return new EaaModel(config,
            config.UsesSemantic ? new FrameSequenceEncoder(config.Semantic, 80, config.Dropout) : null,
            config.UsesAcoustic ? new FrameSequenceEncoder(config.Acoustic, 80, config.Dropout) : null,
            (LlamaForCausalLM)PretrainedArchitectures.Load(llmFolder), prompt);
    }

    [Fact]
    public void The_context_is_the_current_transcript_and_only_the_preceding_one_of_the_same_dialogue()
    {
        var previous = EaaDataset.PrecedingUtterances(fixture.Corpus);
        foreach (var dialogue in fixture.Corpus.Dialogues)
        {
            Assert.False(previous.ContainsKey(dialogue.Utterances[0].Key));
            for (var i = 1; i < dialogue.Utterances.Count; i++) Assert.Equal(dialogue.Utterances[i - 1].Text, previous[dialogue.Utterances[i].Key]);
        }

        foreach (var context in EaaConfig.ContextChoices)
        {
            var (data, prompt, _) = Prepare(Scratch with { Context = context });
            using var _ = prompt;
            using (data)
            {
                for (var i = 0; i < data.Count(DataSplit.Test); i++)
                {
                    var utterance = fixture.Corpus[data.Keys(DataSplit.Test)[i]];
                    var dialogue = fixture.Corpus.Dialogues.Single(d => d.Key == utterance.Dialogue);
                    var position = dialogue.Utterances.ToList().FindIndex(u => u.Key == utterance.Key);
                    var text = data.PromptText(DataSplit.Test, i);
                    Assert.Contains("Describe the speaker's emotion in one word.", text);
                    Assert.Contains(EaaPrompt.AudioPlaceholder, text);
                    if (context == EaaConfig.NoContext) Assert.DoesNotContain("utterance:", text);
                    else Assert.Contains($"Current utterance: {utterance.Text}", text);
                    var hasPrevious = context == EaaConfig.PrecedingContext && position > 0;
                    Assert.Equal(hasPrevious, text.Contains("Previous utterance:"));
                    if (hasPrevious) Assert.Contains($"Previous utterance: {dialogue.Utterances[position - 1].Text}", text);
                    // Nothing said later in the dialogue is in the prompt.
                    foreach (var later in dialogue.Utterances.Skip(position + 1).Where(u => u.Text != utterance.Text && (position == 0 || u.Text != dialogue.Utterances[position - 1].Text)))
                        Assert.DoesNotContain(later.Text, text);
                }
            }
        }
    }

    [Fact]
    public void Only_the_adapters_projections_fusion_and_encoders_train()
    {
        var (data, prompt, folder) = Prepare(Scratch);
        using (data)
        using (prompt)
        using (var model = Model(Scratch, prompt, folder))
        {
            var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
            Assert.All(trainable.Where(n => n.StartsWith("llm.", StringComparison.Ordinal)), n => Assert.Contains(".lora_", n));
            Assert.Contains(trainable, n => n.StartsWith("llm.", StringComparison.Ordinal));
            Assert.Contains(trainable, n => n.StartsWith("fusion.", StringComparison.Ordinal));
            Assert.Contains(trainable, n => n.StartsWith("projector.", StringComparison.Ordinal));
            Assert.Contains(trainable, n => n.StartsWith("semantic.", StringComparison.Ordinal));
            Assert.DoesNotContain(model.named_parameters(), p => p.name.StartsWith("llm.", StringComparison.Ordinal) && !p.name.Contains(".lora_") && p.parameter.requires_grad);

            using var scope = torch.NewDisposeScope();
            var (batch, targets) = data.Batch(DataSplit.Train, torch.arange(4));
            model.TrainingLoss(batch, targets).backward();
            foreach (var (name, p) in model.named_parameters())
            {
                if (p.requires_grad) continue;
                Assert.True(p.grad is null, $"{name} is frozen but got a gradient");
            }
            Assert.True(model.named_parameters().Where(p => p.name.Contains(".lora_B")).All(p => p.parameter.grad is not null));
        }
    }

    public static TheoryData<string, string> Switches => new()
    {
        { "eaa.fusion", EaaConfig.SemanticQueriesAcoustic },
        { "eaa.fusion", EaaConfig.AcousticQueriesSemantic },
        { "eaa.fusion", EaaConfig.SelfAttention },
        { "eaa.encoders", EaaConfig.SemanticOnly },
        { "eaa.encoders", EaaConfig.AcousticOnly },
        { "eaa.context", EaaConfig.NoContext },
        { "eaa.context", EaaConfig.CurrentContext },
        { "eaa.audioStride", "3" },
        { "eaa.instruction", "Name the emotion." },
    };

    [Theory]
    [MemberData(nameof(Switches))]
    public void Every_switch_changes_the_computation(string field, string value)
    {
        var changed = field switch
        {
            "eaa.fusion" => Scratch with { Fusion = value },
            "eaa.encoders" => Scratch with { Encoders = value },
            "eaa.context" => Scratch with { Context = value },
            "eaa.audioStride" => Scratch with { AudioStride = int.Parse(value) },
            _ => Scratch with { Instruction = value },
        };
        Assert.Empty(ExperimentSpecValidator.Validate(EaaLearningTests.Spec(changed)));
        Assert.NotEqual(Scores(Scratch), Scores(changed));
    }

    // The label scores of four test items from a model built with a fixed seed.
    private float[] Scores(EaaConfig config)
    {
        var (data, prompt, folder) = Prepare(config);
        using (data)
        using (prompt)
        using (var model = Model(config, prompt, folder))
        {
            model.eval();
            using var scope = torch.NewDisposeScope();
            using var _ = torch.no_grad();
            var scores = model.forward(data.Batch(DataSplit.Test, torch.arange(4)).Inputs);
            Assert.Equal(new long[] { 4, LabelSets.Meld7.Labels.Count }, scores.shape);
            return scores.data<float>();
        }
    }
}
