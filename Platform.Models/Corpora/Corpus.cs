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

    /// <summary>Fold numbers present, ascending (IEMOCAP's sessions); empty for a corpus without folds.</summary>
    public IReadOnlyList<int> Folds => Dialogues.Where(d => d.Fold is not null).Select(d => d.Fold!.Value).Distinct().Order().ToArray();

    /// <summary>
    /// The same corpus split for leave-one-fold-out: the dialogues of <paramref name="fold"/> are the
    /// test split, and the other folds' dialogues are train and validation by IEMOCAP's ERC rule
    /// (<see cref="IemocapErcSplit"/>: every 10th dialogue name validates), so each fold trains on
    /// the other sessions only and never sees its test speakers.
    /// </summary>
    public Corpus HoldingOutFold(int fold)
    {
        if (!Folds.Contains(fold))
            throw new ArgumentException(Folds.Count == 0
                ? $"corpus {Name} has no folds, so it cannot hold out fold {fold}; leave testFold empty to use its own split"
                : $"corpus {Name} has no fold {fold}; its folds are {string.Join(", ", Folds)}");
        if (Dialogues.FirstOrDefault(d => d.Fold is null) is { } unfolded)
            throw new ArgumentException($"corpus {Name}: dialogue {unfolded.Key} has no fold, so leave-one-fold-out cannot place it");
        var splits = IemocapErcSplit.Assign(Dialogues.Select(d => (d.Key, d.Fold!.Value)), fold);
        var dialogues = Dialogues.Select(d =>
        {
            var split = splits[d.Key];
            return d with { Split = split, Utterances = d.Utterances.Select(u => u with { Split = split }).ToArray() };
        }).ToArray();
        return new Corpus(Name, Root, dialogues);
    }

    public Utterance this[string key] => byKey.TryGetValue(key, out var u) ? u : throw new KeyNotFoundException($"corpus {Name} has no utterance '{key}'");

    public bool Contains(string key) => byKey.ContainsKey(key);
}
