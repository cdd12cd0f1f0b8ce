using System.Text.Json.Nodes;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Pretrained;

/// <summary>`models tiny` folders: loadable, deterministic, with tokenizers that cover the texts; and building on the meta device.</summary>
public sealed class TinyModelTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "elt-tiny-" + Guid.NewGuid().ToString("N")[..8]);
    private static readonly string[] Texts = ["Why would you say that to me?", "We won the game! We actually won!", "Café déjà vu."];

    public static TheoryData<string> Architectures() => new(TinyModelWriter.Architectures);

    [Theory]
    [MemberData(nameof(Architectures))]
    public void A_tiny_folder_loads_and_inspects_clean(string architecture)
    {
        var folder = Path.Combine(root, architecture);
        var parameters = TinyModelWriter.Write(architecture, folder, Texts, seed: 3);
        var summary = ModelSummary.Inspect(folder);
        Assert.Empty(summary.Problems);
        Assert.Equal(architecture, summary.ModelType);
        Assert.Equal(parameters, summary.Parameters);
        using var model = PretrainedArchitectures.Load(folder);
        Assert.Equal(2, model.LayerCount);
    }

    // An LLM family reads the answer word after "Emotion:", so " joy" must be one token of its own,
    // even when the texts use the bare word first (as a trained BPE has common words).
    [Theory]
    [InlineData("llama")]
    [InlineData("qwen2")]
    public void An_llm_tokenizer_has_each_answer_word_after_a_space_as_one_token(string architecture)
    {
        var folder = Path.Combine(root, architecture + "-answers");
        TinyModelWriter.Write(architecture, folder, ["neutral news: surprise, fear and sadness; joy, disgust, anger.", .. Texts]);
        using var tokenizer = PretrainedTokenizer.Open(ModelFolder.Open(folder));
        foreach (var word in Models.Corpora.LabelSets.All.SelectMany(s => Models.Corpora.LabelWords.For(s).Answers))
            Assert.True(tokenizer.Encode(" " + word, addSpecialTokens: false).Length == 1, $"' {word}' is {string.Join(" | ", tokenizer.Encode(" " + word, addSpecialTokens: false).Select(id => tokenizer.Decode([id])))}");
    }

    [Theory]
    [InlineData("bert", "[UNK]")]
    [InlineData("roberta", "<unk>")]
    [InlineData("llama", "<unk>")]
    public void The_tokenizer_covers_the_texts_and_the_label_words(string architecture, string unknown)
    {
        var folder = Path.Combine(root, architecture);
        TinyModelWriter.Write(architecture, folder, Texts);
        using var tokenizer = PretrainedTokenizer.Open(ModelFolder.Open(folder));
        var unk = tokenizer.TokenId(unknown);
        foreach (var text in Texts.Append("neutral surprise fear sadness joy disgust anger"))
        {
            var ids = tokenizer.Encode(text, addSpecialTokens: false);
            Assert.DoesNotContain(unk ?? -1, ids);
            Assert.True(ids.Length <= text.Split(' ').Length * 3, $"'{text}' took {ids.Length} tokens: whole words should be single tokens mostly");
        }
    }

    [Fact]
    public void The_same_seed_writes_the_same_weights()
    {
        TinyModelWriter.Write("hubert", Path.Combine(root, "a"), [], seed: 7);
        TinyModelWriter.Write("hubert", Path.Combine(root, "b"), [], seed: 7);
        TinyModelWriter.Write("hubert", Path.Combine(root, "c"), [], seed: 8);
        var bytes = new[] { "a", "b", "c" }.Select(f => File.ReadAllBytes(Path.Combine(root, f, ModelFolder.WeightsFile))).ToArray();
        Assert.Equal(bytes[0], bytes[1]);
        Assert.NotEqual(bytes[0], bytes[2]);
    }

    [Fact]
    public void A_seven_billion_parameter_llama_is_built_on_the_meta_device_without_memory()
    {
        // LLaMA-2-7B's config.json sizes; its published parameter count is 6,738,415,616.
        var config = new PretrainedConfig(new JsonObject
        {
            ["model_type"] = "llama", ["vocab_size"] = 32000, ["hidden_size"] = 4096, ["intermediate_size"] = 11008,
            ["num_hidden_layers"] = 32, ["num_attention_heads"] = 32, ["num_key_value_heads"] = 32,
        });
        using var model = PretrainedArchitectures.Create(config, "llama-2-7b", Device.Meta);
        Assert.Equal(6_738_415_616, model.parameter_count());
        Assert.All(model.parameters(), p => Assert.Equal(DeviceType.Meta, p.device.Type));
    }

    [Fact]
    public void An_unknown_architecture_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => TinyModelWriter.Write("whisper", Path.Combine(root, "x"), []));
        Assert.Contains("hubert, wav2vec2, wavlm, beats, bert, roberta, llama, qwen2", error.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }
}
