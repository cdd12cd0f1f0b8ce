namespace EmotionLab.Models.Corpora;

/// <summary>
/// One utterance of a corpus, as imported. Labels stay raw strings (CORPORA.md: the toolkits
/// disagree on index order); a <see cref="LabelSet"/> maps them per experiment.
/// </summary>
public sealed record Utterance
{
    /// <summary>Global key: <c>meld-train-dia0_utt3</c> for MELD, <c>iemocap-Ses01F_impro01_F000</c> for IEMOCAP.</summary>
    public required string Key { get; init; }

    /// <summary>train / dev / test for MELD; train / valid / test (the 6-class ERC split) for IEMOCAP.</summary>
    public required string Split { get; init; }

    /// <summary>Cross-validation fold: the IEMOCAP session (1..5); null where the corpus has no folds (MELD).</summary>
    public int? Fold { get; init; }

    /// <summary>Key of the dialogue this utterance belongs to (<see cref="Dialogue.Key"/>).</summary>
    public required string Dialogue { get; init; }

    /// <summary>Position inside the dialogue as the corpus gives it (MELD Utterance_ID, gaps kept), never renumbered.</summary>
    public required int Index { get; init; }

    public required string Speaker { get; init; }
    public required TimeSpan Start { get; init; }
    public required TimeSpan End { get; init; }
    public required string Text { get; init; }

    /// <summary>The emotion category exactly as annotated (MELD Emotion, IEMOCAP majority category).</summary>
    public required string RawLabel { get; init; }

    /// <summary>MELD's Sentiment column; null for corpora without one.</summary>
    public string? RawSentiment { get; init; }

    /// <summary>16 kHz mono PCM16 wav: extracted by the importer (MELD) or the corpus's own file (IEMOCAP); null when there is none.</summary>
    public string? AudioPath { get; init; }

    /// <summary>Audio length in seconds (of the source media when no wav could be made); null when unknown.</summary>
    public double? Duration { get; init; }

    public int? SampleRate { get; init; }

    /// <summary>False when the audio must not be used (missing, undecodable, mis-cut, too long); <see cref="AudioProblem"/> says why.</summary>
    public required bool AudioOk { get; init; }

    public string? AudioProblem { get; init; }
}
