namespace EmotionLab.Data;

/// <summary>A corpus cannot be stored as asked: its name is taken, or runs still need the corpus it would replace. Nothing was stored.</summary>
public sealed class CorpusConflictException(string message) : Exception(message);
