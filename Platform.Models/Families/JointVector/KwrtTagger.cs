using EmotionLab.Models.Knowledge;
using EmotionLab.Models.Text;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// Knowledge-based word relation tagging (EPC paper, 2.3): over the words of a conversation, word
/// recurrence (the same content word again, off the diagonal: 1) and ConceptNet relations IsA,
/// HasContext and Causes between two content words (+1 per relation found, in either direction,
/// capped at 3). Function words are left out (<see cref="FunctionWords.IsContentWord"/>). Without
/// relations (no ConceptNet index) the tagging is recurrence only. Lookups are cached per word, so
/// one tagger serves a whole dataset.
/// </summary>
public sealed class KwrtTagger(IWordRelations? relations, int relationsPerWord)
{
    /// <summary>The relations KWRT reads (the paper's I, H and C tags).</summary>
    public static IReadOnlyList<string> RelationKinds { get; } = ["IsA", "HasContext", "Causes"];

    /// <summary>The most a word pair's relation count can reach.</summary>
    public const int RelationCap = 3;

    private readonly Dictionary<string, (string Relation, string Concept)[]> cache = new(StringComparer.Ordinal);

    public bool HasRelations => relations is not null;

    /// <summary>Tags the tokens of one sequence (lower-case words as WordTokenizer gives them; speaker tokens and punctuation are never content words).</summary>
    public KwrtTags Tag(IReadOnlyList<string> tokens)
    {
        var k = tokens.Count;
        var (recurrence, related, importance) = (new int[k, k], new int[k, k], new int[k, k]);
        var scores = new float[k];
        var content = tokens.Select(FunctionWords.IsContentWord).ToArray();
        for (var i = 0; i < k; i++)
        {
            if (!content[i]) continue;
            for (var j = 0; j < k; j++)
            {
                if (j == i || !content[j]) continue;
                if (tokens[i] == tokens[j]) recurrence[i, j] = 1;
                else if (relations is not null) related[i, j] = Math.Min(RelationCap, Count(tokens[i], tokens[j]) + Count(tokens[j], tokens[i]));
                importance[i, j] = recurrence[i, j] + related[i, j];
                scores[i] += importance[i, j];
            }
        }
        return new KwrtTags(recurrence, related, importance, scores);
    }

    // Relations of the kinds KWRT reads that lead from word to concept.
    private int Count(string word, string concept)
    {
        if (!cache.TryGetValue(word, out var known))
            cache[word] = known = relations!.Of(word, relationsPerWord)
                .Where(r => RelationKinds.Contains(r.Relation))
                .Select(r => (r.Relation, r.Concept))
                .Distinct()
                .ToArray();
        return known.Count(r => r.Concept == concept);
    }
}
