namespace EmotionLab.Models.Corpora.EmoSynth;

/// <summary>
/// What EmoSynth generates. The signal rates make each modality only partly informative: an
/// emotional utterance carries emotional wording with probability TextSignalRate and emotional
/// prosody with probability ProsodySignalRate, independently, so text alone and audio alone each
/// see part of the labels and their combination sees more. Persistence and Reaction give the
/// dialogues the turn-to-turn dynamics that context models and EPC learn from.
/// </summary>
public sealed record EmoSynthOptions(int Dialogues, int Seed)
{
    public double TextSignalRate { get; init; } = 0.6;
    public double ProsodySignalRate { get; init; } = 0.6;
    /// <summary>Chance a speaker keeps the emotion of their own previous turn.</summary>
    public double Persistence { get; init; } = 0.45;
    /// <summary>Chance a speaker reacts to the previous speaker's emotion (see EmotionDynamics).</summary>
    public double Reaction { get; init; } = 0.25;
    public int MinTurns { get; init; } = 6;
    public int MaxTurns { get; init; } = 14;
    /// <summary>espeak-ng processes run at once (each clip is spoken alone, so the files do not depend on it).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public void Validate()
    {
        if (Dialogues < 1) throw new ArgumentException($"EmoSynth needs at least one dialogue, got {Dialogues}");
        foreach (var (name, value) in new[] { (nameof(TextSignalRate), TextSignalRate), (nameof(ProsodySignalRate), ProsodySignalRate), (nameof(Persistence), Persistence), (nameof(Reaction), Reaction) })
            if (value is < 0 or > 1) throw new ArgumentException($"{name} must be in [0, 1], got {value}");
        if (Persistence + Reaction > 1) throw new ArgumentException($"Persistence + Reaction must be at most 1, got {Persistence + Reaction}");
        if (MinTurns < 2 || MaxTurns < MinTurns) throw new ArgumentException($"turns per dialogue must satisfy 2 <= MinTurns <= MaxTurns, got {MinTurns}..{MaxTurns}");
    }
}
