using EmotionLab.Data.Entities;

namespace EmotionLab.Data;

/// <summary>
/// Everything <see cref="CorpusWriter"/> stores for one corpus: its row, and its dialogues each with
/// its utterances. Ids (corpus, dialogue) are assigned while storing.
/// </summary>
public sealed record CorpusContent(Corpus Corpus, IReadOnlyList<DialogueContent> Dialogues)
{
    public int UtteranceCount => Dialogues.Sum(d => d.Utterances.Count);
}

/// <summary>One dialogue and its utterances in corpus order.</summary>
public sealed record DialogueContent(Dialogue Dialogue, IReadOnlyList<Utterance> Utterances);
