namespace EmotionLab.Models.Corpora;

/// <summary>The label sets of CORPORA.md. Label order is the class index order of experiments using them.</summary>
public static class LabelSets
{
    /// <summary>MELD's seven emotions in the MELD/COSMIC index order.</summary>
    public static LabelSet Meld7 { get; } = Identity("meld7", ["neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"]);

    /// <summary>EmoQ's 4-class MELD subset; surprise, fear and disgust are dropped.</summary>
    public static LabelSet Meld4 { get; } = Identity("meld4", ["neutral", "anger", "sadness", "joy"]);

    /// <summary>MELD's Sentiment column.</summary>
    public static LabelSet MeldSentiment3 { get; } = Identity("meld-sentiment3", ["positive", "neutral", "negative"], LabelSource.Sentiment);

    /// <summary>4-class IEMOCAP SER: exc is merged into hap; everything else is dropped (5,531 utterances on the full corpus).</summary>
    public static LabelSet Iemocap4 { get; } = new("iemocap4", ["neu", "hap", "ang", "sad"],
        new Dictionary<string, string> { ["neu"] = "neu", ["hap"] = "hap", ["exc"] = "hap", ["ang"] = "ang", ["sad"] = "sad" });

    /// <summary>6-class IEMOCAP ERC (COSMIC order), labels taken from EmoEvaluation.</summary>
    public static LabelSet Iemocap6 { get; } = Identity("iemocap6", ["hap", "sad", "neu", "ang", "exc", "fru"]);

    public static IReadOnlyList<LabelSet> All { get; } = [Meld7, Meld4, MeldSentiment3, Iemocap4, Iemocap6];

    /// <summary>
    /// The sets that apply to a corpus. A corpus is named after its format, optionally with a
    /// suffix ("emosynth", "emosynth-small", "iemocap-s1"), so the name says how it is labelled;
    /// EmoSynth is labelled as MELD is.
    /// </summary>
    public static IReadOnlyList<LabelSet> For(string corpus)
    {
        var format = FormatOf(corpus);
        var labelledAs = format == "emosynth" ? "meld" : format;
        return All.Where(s => s.Name.StartsWith(labelledAs, StringComparison.Ordinal)).ToArray();
    }

    /// <summary>The format part of a corpus name: "emosynth-small" -> "emosynth".</summary>
    public static string FormatOf(string corpus) => corpus.Split('-', 2)[0];

    public static LabelSet ByName(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"unknown label set '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}");

    private static LabelSet Identity(string name, string[] labels, LabelSource source = LabelSource.Emotion) =>
        new(name, labels, labels.ToDictionary(l => l, l => l), source);
}
