namespace EmotionLab.Models.Corpora;

/// <summary>An imported, validated corpus: dialogues in a stable order, each holding its utterances.</summary>
public sealed class Corpus
{
    private readonly Dictionary<string, Utterance> byKey;

    public Corpus(string name, string root, IReadOnlyList<Dialogue> dialogues)
    {
        Name = name;
        Root = root;
        Dialogues = dialogues;
        Utterances = dialogues.SelectMany(d => d.Utterances).ToArray();
        byKey = Utterances.ToDictionary(u => u.Key, StringComparer.Ordinal);
    }

    /// <summary>Lower-case corpus name, the prefix of every key (meld, iemocap).</summary>
    public string Name { get; }

    /// <summary>The folder the corpus was imported from.</summary>
    public string Root { get; }

    public IReadOnlyList<Dialogue> Dialogues { get; }

    /// <summary>Every utterance, dialogue by dialogue, in dialogue order.</summary>
    public IReadOnlyList<Utterance> Utterances { get; }

    /// <summary>Split names in first-appearance order.</summary>
    public IReadOnlyList<string> Splits => Utterances.Select(u => u.Split).Distinct().ToArray();

    public Utterance this[string key] => byKey.TryGetValue(key, out var u) ? u : throw new KeyNotFoundException($"corpus {Name} has no utterance '{key}'");

    public bool Contains(string key) => byKey.ContainsKey(key);
}
