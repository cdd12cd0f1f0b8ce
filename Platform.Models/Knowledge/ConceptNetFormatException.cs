namespace EmotionLab.Models.Knowledge;

/// <summary>
/// A line of a ConceptNet assertions file that the importer cannot read: the message names the
/// file, the line (1-based) and what is wrong with it, e.g.
/// <c>conceptnet-assertions-5.7.0.csv.gz line 1204: 4 tab-separated columns, expected 5</c>.
/// </summary>
public sealed class ConceptNetFormatException(string file, long line, string problem, Exception? inner = null)
    : Exception($"{file} line {line}: {problem}", inner)
{
    public string File { get; } = file;

    /// <summary>1-based line number in the (decompressed) assertions file.</summary>
    public long Line { get; } = line;

    public string Problem { get; } = problem;
}
