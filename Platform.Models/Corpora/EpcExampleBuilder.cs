namespace EmotionLab.Models.Corpora;

/// <summary>
/// Builds EPC examples from dialogues: a context of turns ending at an anchor turn, and a target
/// after the anchor. The context is cut strictly before the target (and, ahead by k, before
/// the turns between anchor and target), so the target's own text and audio never appear in it.
/// Targets whose label the set drops are skipped; dropped turns still serve as context.
/// </summary>
public sealed class EpcExampleBuilder
{
    public EpcExampleBuilder(LabelSet labels, EpcTargetMode mode, int? window = 6, int turnsAhead = 1, bool giveNextSpeaker = false)
    {
        if (window is < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "the context window needs at least one turn (null = all history)");
        if (turnsAhead < 1) throw new ArgumentOutOfRangeException(nameof(turnsAhead), turnsAhead, "k must be at least 1");
        Labels = labels;
        Mode = mode;
        Window = window;
        TurnsAhead = turnsAhead;
        GiveNextSpeaker = giveNextSpeaker;
    }

    public LabelSet Labels { get; }
    public EpcTargetMode Mode { get; }

    /// <summary>Context turns W (6 is common); null = all history.</summary>
    public int? Window { get; }

    /// <summary>k of <see cref="EpcTargetMode.SameSpeakerAhead"/>.</summary>
    public int TurnsAhead { get; }

    public bool GiveNextSpeaker { get; }

    public EpcExampleSet Build(IEnumerable<Dialogue> dialogues) => new(Labels, dialogues.SelectMany(Build).ToArray());

    private IEnumerable<EpcExample> Build(Dialogue dialogue)
    {
        var turns = dialogue.Utterances;
        foreach (var (anchor, target) in Pairs(turns))
        {
            var t = turns[target];
            if (Labels.Canonical(t) is not { } label) continue;
            yield return new EpcExample(t, label, Labels.IndexOfLabel(label), ConversationContext.EndingAt(dialogue, anchor, Window), GiveNextSpeaker ? t.Speaker : null);
        }
    }

    /// <summary>(anchor, target) positions; the anchor is always before the target.</summary>
    private IEnumerable<(int Anchor, int Target)> Pairs(IReadOnlyList<Utterance> turns)
    {
        switch (Mode)
        {
            case EpcTargetMode.EveryNext:
                for (var t = 1; t < turns.Count; t++) yield return (t - 1, t);
                break;
            case EpcTargetMode.FirstAfterSpeakerChange:
                for (var t = 1; t < turns.Count; t++)
                    if (turns[t].Speaker != turns[t - 1].Speaker) yield return (t - 1, t);
                break;
            case EpcTargetMode.SameSpeakerAhead:
                for (var a = 0; a < turns.Count; a++)
                {
                    var seen = 0;
                    for (var t = a + 1; t < turns.Count; t++)
                    {
                        if (turns[t].Speaker != turns[a].Speaker || ++seen < TurnsAhead) continue;
                        yield return (a, t);
                        break;
                    }
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Mode), Mode, null);
        }
    }
}
