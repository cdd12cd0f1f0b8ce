using EmotionLab.Models.Text;

namespace EmotionLab.Models.Tests.Text;

public sealed class TextFrontEndTests
{
    [Fact]
    public void Tokenizer_keeps_contractions_numbers_and_punctuation()
    {
        Assert.Equal(["i'm", "not", "going", "—", "it's", "10.30", "!"], WordTokenizer.Tokenize("I’m NOT going — it's 10.30!"));
    }

    [Fact]
    public void Vocabulary_comes_from_training_text_only_and_unseen_words_are_unknown()
    {
        var vocabulary = Vocabulary.Build(["the cat sat", "the dog sat", "the cat ran"], speakerTokens: 2);
        Assert.Equal(["[PAD]", "[UNK]", "[SPK0]", "[SPK1]", "the", "cat", "sat", "dog", "ran"], vocabulary.Tokens);
        Assert.Equal([4, 5, 1], vocabulary.Encode("The cat flew"));
        var rare = Vocabulary.Build(["the cat sat", "the dog sat", "the cat ran"], minCount: 2, speakerTokens: 0);
        Assert.Equal(["[PAD]", "[UNK]", "the", "cat", "sat"], rare.Tokens);
        Assert.Equal(rare.Tokens, Vocabulary.FromTokens(rare.Tokens).Tokens);
    }

    [Fact]
    public void Speakers_are_numbered_by_first_appearance_within_the_dialogue()
    {
        Assert.Equal(["[SPK0]", "[SPK1]", "[SPK0]", "[SPK2]", "[SPK1]"], SpeakerTokens.ForDialogue(["Ross", "Rachel", "Ross", "Joey", "Rachel"]));
    }

    [Fact]
    public void Content_words_are_the_open_class_ones()
    {
        var tokens = WordTokenizer.Tokenize("I can't believe you ruined my birthday party!");
        Assert.Equal(["believe", "ruined", "birthday", "party"], tokens.Where(FunctionWords.IsContentWord));
    }
}
