using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.EmoQ;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Llama;
using EmotionLab.Models.Tests.Training;
using EmotionLab.Models.Text;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Tests.Families.EmoQ;

/// <summary>EmoQ's parts on EmoSynth: the soft prompt in place of &lt;AUDIO&gt;, the restricted softmax, and that every switch changes the computation.</summary>
[Collection(EmoSynthTrainingCollection.Name)]
public sealed class EmoQModelTests(EmoSynthTrainingCorpus fixture)
{
    // A scratch log-mel audio encoder over the fixture's cache and a scratch former: no extraction needed.
    private static readonly EmoQConfig Scratch = EmoQLearningTests.TinyConfig with
    {
        Audio = new EncoderSlotConfig { Size = 16, Layers = 0, MaxLength = 200, FrameStride = 4 },
        Former = new EncoderSlotConfig { Size = 16, Layers = 1, Heads = 2, MaxLength = 32 },
        Queries = 4,
        PoolingHeads = 2,
        AuxiliaryHiddenSize = 16,
    };

    private string LlmFolder => Path.Combine(EmoQLearningTests.Artifacts(fixture, "artifacts-emoq"), "models", "tiny-qwen2");

    private sealed record Prepared(EmoQConfig Config, EmoQDataset Data, EmoQPrompt Prompt, Vocabulary Words) : IDisposable
    {
        public void Dispose()
        {
            Data.Dispose();
            Prompt.Dispose();
        }
    }

    private Prepared Prepare(EmoQConfig config)
    {
        var prompt = new EmoQPrompt(PretrainedTokenizer.Open(ModelFolder.Open(LlmFolder)), LabelWords.For(LabelSets.Meld7), config.Speaker, config.UsesText, config.HasBridge, LlmFolder);
        var words = Vocabulary.Build(fixture.Corpus.Utterances.Where(u => u.Split == "train").Select(u => u.Text), speakerTokens: 0);
        var data = EmoQDataset.Build(fixture.Corpus, LabelSets.Meld7, config, prompt,
            config.HasBridge && config.UsesText ? text => words.Encode(text) is { Length: > 0 } ids ? ids.Take(config.Former.MaxLength).ToArray() : [words.UnknownId] : null,
            words.PaddingId, config.UsesAudio ? fixture.Features : null);
        return new Prepared(config, data, prompt, words);
    }

    private static EmoQBridge? Bridge(Prepared p)
    {
        var c = p.Config;
        if (!c.HasBridge) return null;
        var audio = new FrameSequenceEncoder(c.Audio, p.Data.AudioFrameSize, c.Dropout);
        var former = c.Input == EmoQConfig.FormerInput
            ? new EmoQFormer(EmoQFormer.ScratchConfig(c.Former, p.Words.Count, c.Dropout), c.Queries, c.PoolingHeads, audio.OutputSize)
            : null;
        return new EmoQBridge(c.Input, audio, former, c.Former.Size, p.Words.Count, p.Words.PaddingId);
    }

    private static EmoQModel Model(Prepared p, string llmFolder)
    {
        torch.manual_seed(1);
        var model = new EmoQModel(p.Config, Bridge(p), (LlamaForCausalLM)PretrainedArchitectures.Load(llmFolder), p.Prompt);
        model.eval();
        return model;
    }

    private static EmoQStage1Model Stage1(Prepared p)
    {
        torch.manual_seed(1);
        var model = new EmoQStage1Model(p.Config, Bridge(p)!, p.Data.Labels.Count, p.Data.TrainClassCounts());
        model.eval();
        return model;
    }

    private static (EmoQBatch Batch, Tensor Targets) FirstItems(EmoQDataset data, int count) =>
        data.Batch(DataSplit.Train, torch.arange(count, torch.int64));

    [Fact]
    public void The_soft_prompt_is_the_llm_input_at_the_placeholder_and_the_placeholder_is_never_tokenized()
    {
        using var p = Prepare(Scratch);
        using var model = Model(p, LlmFolder);
        using var scope = torch.NewDisposeScope();
        var (batch, _) = FirstItems(p.Data, 4);
        var (embeddings, _, audioPosition, _) = model.InputEmbeddings(batch, answers: null);
        var soft = model.SoftPrompt(batch)!.data<float>().ToArray();               // (4, H)
        var hidden = (int)embeddings.size(2);
        var rows = embeddings.data<float>().ToArray();
        var width = (int)embeddings.size(1);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(batch.Before[i].Length, audioPosition[i]);
            var at = rows.Skip((i * width + audioPosition[i]) * hidden).Take(hidden).ToArray();
            Assert.Equal(soft.Skip(i * hidden).Take(hidden), at);
        }

        // The placeholder's text never reaches the tokenizer: a transcript that spells it stays words, and the one slot follows it.
        using var tokenizer = PretrainedTokenizer.Open(ModelFolder.Open(LlmFolder));
        var (before, after) = p.Prompt.Encode("say <AUDIO> twice", "Alex");
        Assert.Contains("Transcript: say <AUDIO> twice", tokenizer.Decode(before));
        Assert.EndsWith("Audio: ", tokenizer.Decode(before));
        Assert.StartsWith("\nWhich emotion", tokenizer.Decode(after));
        Assert.EndsWith(EmoQPrompt.AnswerStart, tokenizer.Decode(after));
    }

    [Fact]
    public void The_restricted_softmax_is_a_distribution_over_the_labels_first_answer_tokens()
    {
        using var p = Prepare(Scratch);
        using var model = Model(p, LlmFolder);
        using var scope = torch.NewDisposeScope();
        var (batch, _) = FirstItems(p.Data, 5);
        var scores = model.forward(batch);                                       // (5, 7) log q
        Assert.Equal([5L, 7L], scores.shape);
        foreach (var row in scores.exp().sum(1).data<float>().ToArray()) Assert.Equal(1f, row, 5);
        Assert.Equal(7, p.Prompt.FirstTokens.Distinct().Count());
        Assert.Equal(p.Prompt.FirstTokens, p.Prompt.Answers.Select(a => a[0]));
    }

    public static TheoryData<string, string> Switches => new()
    {
        { "input audio", "stage2" }, { "input text", "stage2" }, { "input concat", "stage2" },
        { "scl off", "stage1" }, { "focal off", "stage1" }, { "temperature", "stage1" }, { "gamma", "stage1" }, { "lambda", "stage1" },
        { "queries", "stage1" }, { "pooling heads", "stage1" }, { "auxiliary width", "stage1" },
        { "emotion-word weight", "stage2" }, { "speaker", "stage2" },
    };

    private static EmoQConfig With(string change) => change switch
    {
        "input audio" => Scratch with { Input = EmoQConfig.AudioInput },
        "input text" => Scratch with { Input = EmoQConfig.TextInput, Stage1 = false },
        "input concat" => Scratch with { Input = EmoQConfig.ConcatInput },
        "scl off" => Scratch with { Scl = false },
        "focal off" => Scratch with { Focal = false },
        "temperature" => Scratch with { Temperature = 0.5 },
        "gamma" => Scratch with { Gamma = 0.5 },
        "lambda" => Scratch with { Lambda = 3 },
        "queries" => Scratch with { Queries = 2 },
        "pooling heads" => Scratch with { PoolingHeads = 4 },
        "auxiliary width" => Scratch with { AuxiliaryHiddenSize = 8 },
        "emotion-word weight" => Scratch with { EmotionWordWeight = 5 },
        "speaker" => Scratch with { Speaker = false },
        _ => throw new ArgumentException(change),
    };

    // The same items and seed under the default and the changed config: the loss of the stage the switch belongs to differs.
    private double Loss(EmoQConfig config, string stage)
    {
        using var p = Prepare(config);
        using var scope = torch.NewDisposeScope();
        var (batch, targets) = FirstItems(p.Data, 16);
        if (stage == "stage1")
        {
            using var stage1 = Stage1(p);
            return stage1.TrainingLoss(batch, targets).item<float>();
        }
        using var model = Model(p, LlmFolder);
        return model.TrainingLoss(batch, targets).item<float>();
    }

    [Theory]
    [MemberData(nameof(Switches))]
    public void Every_switch_changes_the_computation(string change, string stage)
    {
        var config = With(change);
        Assert.Empty(ExperimentSpecValidator.Validate(EmoQLearningTests.Spec(config)));
        Assert.NotEqual(Loss(Scratch, stage), Loss(config, stage), 5);
    }
}
