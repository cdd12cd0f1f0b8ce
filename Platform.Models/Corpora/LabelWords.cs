namespace EmotionLab.Models.Corpora;

/// <summary>
/// How a language model says a label set's labels: the one answer word each label is trained to
/// be answered with, and the synonyms a generated answer may use instead (joy or happy for MELD's
/// joy; happy or excited for IEMOCAP-4's merged hap; the label's own name too). An answer maps to
/// a label when, ignoring case, surrounding quotes and punctuation, it is exactly one word and
/// that word names one label; anything else (a sentence, two emotions, a word of no label) maps
/// to none: it is unparsed.
/// </summary>
public sealed class LabelWords
{
    // Words of each emotion, the first being the answer word where a label is named after it.
    private static readonly Dictionary<string, string[]> Emotions = new()
    {
        ["neutral"] = ["neutral", "neutrality", "calm", "normal", "none"],
        ["joy"] = ["joy", "happy", "happiness", "joyful", "glad", "delighted", "cheerful"],
        ["sadness"] = ["sadness", "sad", "sorrow", "sorrowful", "unhappy", "depressed"],
        ["anger"] = ["anger", "angry", "mad", "furious", "annoyed", "irritated"],
        ["surprise"] = ["surprise", "surprised", "astonished", "amazed", "shocked"],
        ["fear"] = ["fear", "afraid", "scared", "fearful", "frightened", "terrified"],
        ["disgust"] = ["disgust", "disgusted", "disgusting", "revolted"],
        ["excitement"] = ["excited", "excitement"],
        ["frustration"] = ["frustrated", "frustration"],
        ["positive"] = ["positive"],
        ["negative"] = ["negative"],
    };

    // IEMOCAP's abbreviations: the answer word, then the emotions whose words the label takes.
    private static readonly Dictionary<string, (string Answer, string[] Emotions)> Abbreviations = new()
    {
        ["neu"] = ("neutral", ["neutral"]),
        ["hap"] = ("happy", ["joy"]),
        ["sad"] = ("sad", ["sadness"]),
        ["ang"] = ("angry", ["anger"]),
        ["exc"] = ("excited", ["excitement"]),
        ["fru"] = ("frustrated", ["frustration"]),
    };

    private readonly Dictionary<string, int> labelOf;

    private LabelWords(LabelSet labelSet, IReadOnlyList<string> answers, Dictionary<string, int> labelOf) =>
        (LabelSet, Answers, this.labelOf) = (labelSet, answers, labelOf);

    public LabelSet LabelSet { get; }

    /// <summary>The word each label is answered with, in label order.</summary>
    public IReadOnlyList<string> Answers { get; }

    /// <summary>Every word that maps to a label (answer words and synonyms).</summary>
    public IEnumerable<string> Words => labelOf.Keys;

    public static LabelWords For(LabelSet labelSet)
    {
        var answers = new string[labelSet.Labels.Count];
        var labelOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < answers.Length; i++)
        {
            var label = labelSet.Labels[i];
            var (answer, emotions) = Abbreviations.TryGetValue(label, out var spelled) ? spelled
                : Emotions.ContainsKey(label) ? (label, [label])
                : throw new ArgumentException($"label set {labelSet.Name}: no answer word is known for label '{label}'");
            // IEMOCAP-4 merges excited into happy: the label takes the words of every raw label mapped to it.
            var merged = labelSet.Map.Where(m => m.Value == label && m.Key != label && Abbreviations.ContainsKey(m.Key))
                .SelectMany(m => Abbreviations[m.Key].Emotions);
            answers[i] = answer;
            foreach (var word in emotions.Concat(merged).SelectMany(e => Emotions[e]).Append(answer).Append(label))
                labelOf[word] = i;
        }
        return new LabelWords(labelSet, answers, labelOf);
    }

    /// <summary>The label an answer names, or null when it is unparsed.</summary>
    public int? Parse(string answer)
    {
        var word = answer.Trim('"', '\'', '`', '*', '.', ',', '!', '?', ';', ':', ' ', '\t', '\n', '\r').ToLowerInvariant();
        return word.Length > 0 && !word.Any(char.IsWhiteSpace) && labelOf.TryGetValue(word, out var label) ? label : null;
    }
}
