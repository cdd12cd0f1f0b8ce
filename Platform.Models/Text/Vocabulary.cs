namespace EmotionLab.Models.Text;

/// <summary>
/// A word-level vocabulary built from the training split only (so validation and test words the
/// model never saw map to the unknown token), with padding, unknown and speaker tokens first.
/// </summary>
public sealed class Vocabulary
{
    public const string Padding = "[PAD]";
    public const string Unknown = "[UNK]";
    private readonly Dictionary<string, int> ids = new();
    private readonly List<string> tokens = [];

    private Vocabulary(int speakerTokens)
    {
        Add(Padding);
        Add(Unknown);
        for (var s = 0; s < speakerTokens; s++) Add(SpeakerTokens.Token(s));
    }

    public int PaddingId => 0;
    public int UnknownId => 1;
    public int Count => tokens.Count;
    public IReadOnlyList<string> Tokens => tokens;

    /// <summary>Words seen at least minCount times in the training texts, most frequent first (ties by spelling).</summary>
    public static Vocabulary Build(IEnumerable<string> trainingTexts, int minCount = 1, int speakerTokens = SpeakerTokens.Max)
    {
        var counts = new Dictionary<string, int>();
        foreach (var text in trainingTexts)
        foreach (var word in WordTokenizer.Tokenize(text))
            counts[word] = counts.GetValueOrDefault(word) + 1;
        var vocabulary = new Vocabulary(speakerTokens);
        foreach (var (word, _) in counts.Where(kv => kv.Value >= minCount).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            vocabulary.Add(word);
        return vocabulary;
    }

    /// <summary>Rebuilds a saved vocabulary from its token list (the order is the ids).</summary>
    public static Vocabulary FromTokens(IReadOnlyList<string> savedTokens)
    {
        if (savedTokens.Count < 2 || savedTokens[0] != Padding || savedTokens[1] != Unknown)
            throw new ArgumentException($"a saved vocabulary starts with {Padding} and {Unknown}");
        var vocabulary = new Vocabulary(0);
        foreach (var token in savedTokens.Skip(2)) vocabulary.Add(token);
        return vocabulary;
    }

    public int Id(string token) => ids.GetValueOrDefault(token, UnknownId);

    public int[] Encode(string text) => WordTokenizer.Tokenize(text).Select(Id).ToArray();

    private void Add(string token)
    {
        if (ids.ContainsKey(token)) return;
        ids[token] = tokens.Count;
        tokens.Add(token);
    }
}
