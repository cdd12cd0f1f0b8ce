using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>How a generated answer maps to a label, or counts as unparsed.</summary>
public sealed class LabelWordsTests
{
    public static TheoryData<string, string, string?> Answers => new()
    {
        // label set, answer, the label it maps to (null: unparsed)
        { "meld7", "joy", "joy" },
        { "meld7", "Joy.", "joy" },
        { "meld7", "  HAPPY!  ", "joy" },
        { "meld7", "\"happiness\"", "joy" },
        { "meld7", "**angry**", "anger" },
        { "meld7", "Sad", "sadness" },
        { "meld7", "scared", "fear" },
        { "meld7", "neutral", "neutral" },
        { "meld7", "surprised?", "surprise" },
        { "meld7", "disgusted", "disgust" },
        { "meld4", "fear", null },                  // not a label of the 4-class set
        { "meld7", "excited", null },               // no MELD label says it
        { "meld7", "joy and anger", null },         // two emotions
        { "meld7", "The speaker is happy.", null }, // a sentence, not one word
        { "meld7", "happy sad", null },
        { "meld7", "", null },
        { "meld7", "...", null },
        { "meld7", "joyous", null },                // no guessing from spelling
        { "iemocap4", "happy", "hap" },
        { "iemocap4", "excited", "hap" },           // exc is merged into hap
        { "iemocap4", "hap", "hap" },
        { "iemocap4", "angry", "ang" },
        { "iemocap4", "frustrated", null },
        { "iemocap6", "excited", "exc" },
        { "iemocap6", "happy", "hap" },
        { "iemocap6", "Frustrated.", "fru" },
        { "meld-sentiment3", "Positive", "positive" },
        { "meld-sentiment3", "joy", null },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void An_answer_maps_to_the_label_it_names_or_is_unparsed(string labelSet, string answer, string? label)
    {
        var set = LabelSets.ByName(labelSet);
        var parsed = LabelWords.For(set).Parse(answer);
        Assert.Equal(label, parsed is { } i ? set.Labels[i] : null);
    }

    [Fact]
    public void Every_label_set_has_one_answer_word_per_label_and_each_answers_its_own_label()
    {
        foreach (var set in LabelSets.All)
        {
            var words = LabelWords.For(set);
            Assert.Equal(set.Labels.Count, words.Answers.Count);
            for (var i = 0; i < set.Labels.Count; i++) Assert.Equal(i, words.Parse(words.Answers[i]));
        }
        Assert.Equal(["neutral", "happy", "angry", "sad"], LabelWords.For(LabelSets.Iemocap4).Answers);
        Assert.Equal(LabelSets.Meld7.Labels, LabelWords.For(LabelSets.Meld7).Answers);
    }
}
