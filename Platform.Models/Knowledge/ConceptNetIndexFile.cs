using System.Globalization;
using System.Text;

namespace EmotionLab.Models.Knowledge;

/// <summary>
/// The ConceptNet relations index as the importer writes it and <see cref="ConceptNetIndex"/>
/// reads it: <c>{artifactRoot}/conceptnet/relations-v1.tsv</c>, UTF-8, '\n' line ends.
/// <code>
/// # EmotionLab ConceptNet relations v1
/// surprise	IsA	emotion	3.464
/// surprise	IsA	feeling	2
/// surprise	Causes	laughter	1
/// </code>
/// The first line names the format (a reader refuses any other); every other line is one
/// relation: word, relation (IsA, HasContext or Causes), concept, weight (invariant culture).
/// Words and concepts are ConceptNet terms in lower case with spaces for underscores. A word's
/// lines are together and strongest first, ties in the order the assertions file gave them.
/// Text rather than binary: the English IsA/HasContext/Causes part of ConceptNet 5.7 is a few
/// hundred thousand lines (tens of MB), loads in about a second (600,000 lines: ~1 s of CPU on a
/// busy two-core machine), and can be read with grep.
/// A format change gets a new name (v2), so an old index is never misread.
/// </summary>
public static class ConceptNetIndexFile
{
    public const string Header = "# EmotionLab ConceptNet relations v1";
    public const string FolderName = "conceptnet", FileName = "relations-v1.tsv";

    /// <summary>One line of the index.</summary>
    public sealed record Row(string Word, string Relation, string Concept, double Weight);

    /// <summary>Where the index lives under an artifact root (it may not exist).</summary>
    public static string PathIn(string artifactRoot) => Path.Combine(artifactRoot, FolderName, FileName);

    /// <summary>
    /// Writes <paramref name="rows"/> (already in the file's order) to a temporary file next to
    /// <paramref name="path"/> and renames it over <paramref name="path"/> when complete: readers
    /// see the old index or the new one, never part of one; a failed write leaves the old one.
    /// </summary>
    public static void Write(string path, IEnumerable<Row> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" })
            {
                writer.WriteLine(Header);
                foreach (var row in rows)
                {
                    writer.Write(Field(row.Word));
                    writer.Write('\t');
                    writer.Write(Field(row.Relation));
                    writer.Write('\t');
                    writer.Write(Field(row.Concept));
                    writer.Write('\t');
                    writer.WriteLine(row.Weight.ToString("R", CultureInfo.InvariantCulture));
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    // A field with a tab or line break would shift every column after it.
    private static string Field(string value) => value.Length > 0 && value.AsSpan().IndexOfAny('\t', '\n', '\r') < 0
        ? value
        : throw new ArgumentException($"index field '{value}' is empty or holds a tab or line break");

    /// <summary>
    /// The rows of the index at <paramref name="path"/>, in file order; a damaged file throws
    /// <see cref="InvalidDataException"/> naming its line. Equal relations and concepts, and a
    /// word's consecutive lines, share one string (a loaded index holds hundreds of thousands).
    /// </summary>
    public static IEnumerable<Row> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, false, 1 << 16);
        if (reader.ReadLine() != Header)
            throw new InvalidDataException($"{path} line 1: not an EmotionLab ConceptNet index (expected '{Header}'): import ConceptNet again");
        var strings = new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        string Shared(ReadOnlySpan<char> text) => strings.TryGetValue(text, out var shared) ? shared : strings[text] = text.ToString();
        var (number, word) = (1L, "");
        while (reader.ReadLine() is { } line)
        {
            number++;
            Span<Range> fields = stackalloc Range[5];
            var span = line.AsSpan();
            if (span.Split(fields, '\t') != 4 || span[fields[0]].IsEmpty || span[fields[1]].IsEmpty || span[fields[2]].IsEmpty
                || !double.TryParse(span[fields[3]], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
                throw new InvalidDataException($"{path} line {number}: expected word, relation, concept and weight separated by tabs: import ConceptNet again");
            if (!span[fields[0]].SequenceEqual(word)) word = span[fields[0]].ToString();
            yield return new Row(word, Shared(span[fields[1]]), Shared(span[fields[2]]), weight);
        }
    }
}
