namespace EmotionLab.Models.Knowledge;

/// <summary>What one ConceptNet import read and wrote.</summary>
/// <param name="IndexPath">the index file now in place (<see cref="ConceptNetIndexFile.PathIn"/>)</param>
/// <param name="LinesRead">lines of the assertions file, all of them (empty ones included)</param>
/// <param name="KeptPerRelation">lines kept per relation (IsA, HasContext, Causes): English at both ends, duplicates included</param>
/// <param name="Words">distinct words (start concepts) that have at least one relation in the index</param>
/// <param name="Relations">(word, relation, concept) triples in the index: kept lines less duplicates</param>
public sealed record ConceptNetImportSummary(
    string IndexPath,
    long LinesRead,
    IReadOnlyDictionary<string, long> KeptPerRelation,
    int Words,
    int Relations,
    TimeSpan Elapsed)
{
    /// <summary>Kept lines that repeated a (word, relation, concept) already kept, e.g. the same fact from WordNet and from Open Mind.</summary>
    public long DuplicatesMerged => KeptPerRelation.Values.Sum() - Relations;
}
