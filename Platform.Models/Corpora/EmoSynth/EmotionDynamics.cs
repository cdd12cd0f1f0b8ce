namespace EmotionLab.Models.Corpora.EmoSynth;

/// <summary>
/// How emotions unfold across turns: a speaker keeps their own last emotion (persistence),
/// reacts to the previous speaker's (anger draws anger or fear, joy draws joy or surprise, ...),
/// or draws afresh from MELD-like base rates (neutral most frequent).
/// </summary>
public static class EmotionDynamics
{
    /// <summary>MELD's seven emotions in their index order, with base rates close to MELD's training split.</summary>
    public static readonly (string emotion, double rate)[] BaseRates =
    [
        ("neutral", 0.45), ("surprise", 0.12), ("fear", 0.03), ("sadness", 0.07), ("joy", 0.17), ("disgust", 0.03), ("anger", 0.13),
    ];

    private static readonly Dictionary<string, (string emotion, double weight)[]> Reactions = new()
    {
        ["neutral"] = [("neutral", 0.8), ("surprise", 0.1), ("joy", 0.1)],
        ["surprise"] = [("surprise", 0.4), ("joy", 0.3), ("fear", 0.15), ("neutral", 0.15)],
        ["fear"] = [("fear", 0.4), ("sadness", 0.3), ("surprise", 0.3)],
        ["sadness"] = [("sadness", 0.6), ("neutral", 0.25), ("fear", 0.15)],
        ["joy"] = [("joy", 0.7), ("surprise", 0.3)],
        ["disgust"] = [("disgust", 0.4), ("anger", 0.4), ("neutral", 0.2)],
        ["anger"] = [("anger", 0.45), ("fear", 0.25), ("sadness", 0.15), ("disgust", 0.15)],
    };

    public static string Next(Random random, string? ownPrevious, string? otherPrevious, EmoSynthOptions options)
    {
        var roll = random.NextDouble();
        if (ownPrevious is not null && roll < options.Persistence) return ownPrevious;
        if (otherPrevious is not null && roll < options.Persistence + options.Reaction) return Pick(random, Reactions[otherPrevious]);
        return Pick(random, BaseRates);
    }

    private static string Pick(Random random, (string emotion, double weight)[] choices)
    {
        var roll = random.NextDouble() * choices.Sum(c => c.weight);
        foreach (var (emotion, weight) in choices)
        {
            roll -= weight;
            if (roll < 0) return emotion;
        }
        return choices[^1].emotion;
    }
}
