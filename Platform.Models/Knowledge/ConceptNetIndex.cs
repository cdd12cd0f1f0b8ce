namespace EmotionLab.Models.Knowledge;

/// <summary>
/// The imported ConceptNet relations (<see cref="ConceptNetIndexFile"/>), held in memory: for a
/// word, its IsA / HasContext / Causes concepts strongest first. Read-only after loading, so one
/// instance can serve every run and thread of a process.
/// </summary>
public sealed class ConceptNetIndex : IWordRelations
{
    private readonly Dictionary<string, WordRelation[]> relations;

    private ConceptNetIndex(string path, Dictionary<string, WordRelation[]> relations)
    {
        (Path, this.relations) = (path, relations);
        RelationCount = relations.Values.Sum(r => r.Length);
    }

    /// <summary>The index file this was loaded from.</summary>
    public string Path { get; }

    /// <summary>Words with at least one relation.</summary>
    public int WordCount => relations.Count;

    /// <summary>(word, relation, concept) triples.</summary>
    public int RelationCount { get; }

    /// <summary>
    /// The index imported under <paramref name="artifactRoot"/>, or null when ConceptNet was never
    /// imported there: the caller then goes on without relations (KWRT: recurrence only) and says so in its log.
    /// </summary>
    public static ConceptNetIndex? TryOpen(string artifactRoot)
    {
        var path = ConceptNetIndexFile.PathIn(artifactRoot);
        return File.Exists(path) ? Load(path) : null;
    }

    /// <summary>Loads an index file; a missing or damaged one throws (<see cref="FileNotFoundException"/>, <see cref="InvalidDataException"/>).</summary>
    public static ConceptNetIndex Load(string path)
    {
        var relations = new Dictionary<string, WordRelation[]>(StringComparer.Ordinal);
        // Relations repeat a lot ("IsA emotion", "HasContext slang"): one instance each keeps the loaded index small.
        var shared = new Dictionary<(string Relation, string Concept), WordRelation>();
        var rows = new List<(WordRelation Relation, double Weight)>();
        string? word = null;

        foreach (var row in ConceptNetIndexFile.Read(path))
        {
            if (row.Word != word)
            {
                if (word is not null) relations[word] = StrongestFirst(rows);
                word = row.Word;
                if (relations.ContainsKey(word))
                    throw new InvalidDataException($"{path}: the lines of '{word}' are not together: import ConceptNet again");
                rows.Clear();
            }
            var key = (row.Relation, row.Concept);
            if (!shared.TryGetValue(key, out var relation)) shared[key] = relation = new WordRelation(row.Relation, row.Concept);
            rows.Add((relation, row.Weight));
        }
        if (word is not null) relations[word] = StrongestFirst(rows);
        return new ConceptNetIndex(path, relations);
    }

    // The importer writes a word's lines strongest first; a file in another order is sorted here
    // (stable: ties keep file order), so the order never depends on how the file was written.
    private static WordRelation[] StrongestFirst(List<(WordRelation Relation, double Weight)> rows)
    {
        for (var i = 1; i < rows.Count; i++)
            if (rows[i].Weight > rows[i - 1].Weight)
                return [.. rows.Index().OrderByDescending(e => e.Item.Weight).ThenBy(e => e.Index).Select(e => e.Item.Relation)];
        var relations = new WordRelation[rows.Count];
        for (var i = 0; i < relations.Length; i++) relations[i] = rows[i].Relation;
        return relations;
    }

    /// <inheritdoc />
    /// <remarks>The word is looked up in lower case; a word ConceptNet has no relations for gives an empty list.</remarks>
    public IReadOnlyList<WordRelation> Of(string word, int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (!relations.TryGetValue(word, out var all) && !relations.TryGetValue(word.ToLowerInvariant(), out all)) return [];
        // Read-only wrappers: a caller casting the list back to an array must not edit the shared index.
        return Array.AsReadOnly(all.Length <= max ? all : all[..max]);
    }
}
