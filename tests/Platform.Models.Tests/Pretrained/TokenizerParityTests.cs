using System.Text.Json;
using EmotionLab.Models.Pretrained;

namespace EmotionLab.Models.Tests.Pretrained;

/// <summary>
/// Our tokenizer path against outside oracles (tools/make_pretrained_fixtures.py): a SentencePiece
/// tokenizer.model against the sentencepiece library, byte-level BPE vocab.json + merges.txt against
/// GPT-2's reference algorithm; accents, emoji, whitespace runs, unknown words and the empty text.
/// (WordPiece vocab.txt is checked against Hugging Face's Rust tokenizers in MiniLmParityTests.)
/// </summary>
public sealed class TokenizerParityTests
{
    [Theory]
    [InlineData("llama", TokenizerKind.SentencePiece)]
    [InlineData("roberta", TokenizerKind.ByteLevelBpe)]
    public void Encodes_as_the_oracle(string fixture, TokenizerKind kind)
    {
        var folder = ModelFolder.Open(Path.Combine(AppContext.BaseDirectory, "Fixtures", "pretrained", fixture));
        Assert.Equal(kind, folder.Tokenizer);
        using var tokenizer = PretrainedTokenizer.Open(folder);
        using var cases = JsonDocument.Parse(File.ReadAllText(folder.File("tokenizer-cases.json")));
        var count = 0;
        foreach (var item in cases.RootElement.EnumerateArray())
        {
            var text = item.GetProperty("text").GetString()!;
            var expected = item.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.True(expected.SequenceEqual(tokenizer.Encode(text)), $"'{text}': expected [{string.Join(", ", expected)}], got [{string.Join(", ", tokenizer.Encode(text))}]");
            count++;
        }
        Assert.True(count >= 5);
    }

    [Fact]
    public void Special_tokens_are_added_only_when_asked()
    {
        var folder = ModelFolder.Open(Path.Combine(AppContext.BaseDirectory, "Fixtures", "pretrained", "roberta"));
        using var tokenizer = PretrainedTokenizer.Open(folder);
        var with = tokenizer.Encode("happy news");
        var without = tokenizer.Encode("happy news", addSpecialTokens: false);
        Assert.Equal([tokenizer.TokenId("<s>")!.Value, .. without, tokenizer.TokenId("</s>")!.Value], with);
        Assert.Equal(tokenizer.TokenId("<pad>"), tokenizer.PadId);
        Assert.Equal("happy news", tokenizer.Decode(without));
    }
}
