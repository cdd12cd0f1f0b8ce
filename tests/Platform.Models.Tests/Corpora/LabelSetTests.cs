using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

public sealed class LabelSetTests
{
    [Fact]
    public void The_sets_have_the_documented_names_and_label_orders()
    {
        Assert.Equal(["meld7", "meld4", "meld-sentiment3", "iemocap4", "iemocap6"], LabelSets.All.Select(s => s.Name));
        Assert.Equal(["neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"], LabelSets.Meld7.Labels);
        Assert.Equal(["neutral", "anger", "sadness", "joy"], LabelSets.Meld4.Labels);
        Assert.Equal(["positive", "neutral", "negative"], LabelSets.MeldSentiment3.Labels);
        Assert.Equal(["neu", "hap", "ang", "sad"], LabelSets.Iemocap4.Labels);
        Assert.Equal(["hap", "sad", "neu", "ang", "exc", "fru"], LabelSets.Iemocap6.Labels);
        Assert.Equal(["meld7", "meld4", "meld-sentiment3"], LabelSets.For("meld").Select(s => s.Name));
        Assert.Same(LabelSets.Iemocap6, LabelSets.ByName("iemocap6"));
        Assert.Throws<ArgumentException>(() => LabelSets.ByName("iemocap5"));
    }

    [Theory]
    [InlineData("exc", "hap", 1)]
    [InlineData("hap", "hap", 1)]
    [InlineData("sad", "sad", 3)]
    [InlineData("fru", null, -1)]
    [InlineData("xxx", null, -1)]
    public void Iemocap4_merges_exc_into_hap_and_drops_the_rest(string raw, string? canonical, int index)
    {
        var u = Utterance(raw, null);
        Assert.Equal(canonical, LabelSets.Iemocap4.Canonical(u));
        Assert.Equal(index, LabelSets.Iemocap4.IndexOf(u));
    }

    [Fact]
    public void Sentiment_set_reads_the_sentiment_not_the_emotion()
    {
        var u = Utterance("joy", "positive");
        Assert.Equal("positive", LabelSets.MeldSentiment3.Canonical(u));
        Assert.Equal("joy", LabelSets.Meld4.Canonical(u));
        Assert.Null(LabelSets.Meld4.Canonical(Utterance("surprise", "positive")));
    }

    [Fact]
    public void A_map_onto_a_label_outside_the_set_is_refused() =>
        Assert.Throws<ArgumentException>(() => new LabelSet("bad", ["a"], new Dictionary<string, string> { ["x"] = "b" }));

    private static Utterance Utterance(string raw, string? sentiment) => new()
    {
        Key = "k", Split = "train", Dialogue = "d", Index = 0, Speaker = "s", Start = TimeSpan.Zero, End = TimeSpan.Zero,
        Text = "", RawLabel = raw, RawSentiment = sentiment, AudioOk = true,
    };
}
