namespace EmotionLab.Data.Entities;

/// <summary>An imported corpus: MELD, IEMOCAP or EmoSynth, as read from a folder on the server.</summary>
public sealed class Corpus
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>meld, iemocap or emosynth.</summary>
    public required string Format { get; set; }
    public required string SourcePath { get; set; }
    /// <summary>Hash of the imported content; runs record it so results trace back to exact data.</summary>
    public required string ContentHash { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    /// <summary>The import report (warnings such as unusable audio files) as JSON.</summary>
    public string ReportJson { get; set; } = "[]";
    public List<Dialogue> Dialogues { get; set; } = [];
}

public sealed class Dialogue
{
    public long Id { get; set; }
    public long CorpusId { get; set; }
    public required string Split { get; set; }
    /// <summary>The fold it belongs to (IEMOCAP's session), if the corpus has folds.</summary>
    public int? Fold { get; set; }
    /// <summary>The dialogue's id in the corpus (MELD's Dialogue_ID, IEMOCAP's dialog name).</summary>
    public required string ExternalId { get; set; }
}

/// <summary>One utterance; bulk-loaded with binary COPY (UtteranceBulkLoader).</summary>
public sealed class Utterance
{
    public long Id { get; set; }
    public long CorpusId { get; set; }
    public long DialogueId { get; set; }
    /// <summary>The global key, unique within the corpus (e.g. meld-train-dia3_utt0).</summary>
    public required string Key { get; set; }
    public required string Split { get; set; }
    public int? Fold { get; set; }
    /// <summary>The utterance index as the corpus gives it (gaps kept).</summary>
    public int Index { get; set; }
    public required string Speaker { get; set; }
    public double? StartSeconds { get; set; }
    public double? EndSeconds { get; set; }
    public required string Text { get; set; }
    public required string RawLabel { get; set; }
    public string? AudioPath { get; set; }
    public double? DurationSeconds { get; set; }
    public int? SampleRate { get; set; }
    public bool AudioOk { get; set; }
    /// <summary>Why the audio is unusable, when it is.</summary>
    public string? AudioProblem { get; set; }
}
