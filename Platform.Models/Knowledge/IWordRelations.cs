namespace EmotionLab.Models.Knowledge;

/// <summary>
/// Commonsense relations of English words, as KWRT reads them: for a word, the concepts it is
/// related to by the relations KWRT uses (IsA, HasContext, Causes), strongest first. The
/// ConceptNet index implements it; a run without the index has no relations (recurrence only).
/// </summary>
public interface IWordRelations
{
    /// <summary>At most <paramref name="max"/> relations of <paramref name="word"/> (lower case), strongest first; empty when none are known.</summary>
    IReadOnlyList<WordRelation> Of(string word, int max);
}

/// <summary>One relation of a word: its kind (IsA, HasContext, Causes) and the related concept, as lower-case words ("feeling", "positive emotion").</summary>
public sealed record WordRelation(string Relation, string Concept);
