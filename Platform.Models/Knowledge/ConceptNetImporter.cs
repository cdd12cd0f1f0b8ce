using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace EmotionLab.Models.Knowledge;

/// <summary>
/// Builds the relations index KWRT reads (<see cref="ConceptNetIndexFile"/>) from a local copy of
/// ConceptNet's assertions file (conceptnet-assertions-5.7.0.csv, or the .csv.gz it is published
/// as: a name ending in .gz is decompressed while reading). Each line of that file is one edge,
/// five tab-separated columns:
/// <code>
/// /a/[/r/IsA/,/c/en/joy/n/,/c/en/feeling/]	/r/IsA	/c/en/joy/n	/c/en/feeling	{"dataset": ..., "weight": 2.0}
/// </code>
/// assertion URI, relation URI, start concept URI, end concept URI, JSON info with a "weight".
/// Kept: relations IsA, HasContext and Causes with both ends English (/c/en/); a concept is its
/// URI's term (the segment after /c/en/, without the part of speech or sense that may follow),
/// underscores as spaces, lower case ("/c/en/positive_emotion/n" is "positive emotion"). The start
/// is the indexed word, the end its related concept. The same (word, relation, concept) from
/// several lines (WordNet and Open Mind often agree) is one relation with the highest weight,
/// placed where it first appeared; ties in weight keep the file's order.
/// <para>
/// The file is streamed (the real one is ~10 GB uncompressed): only kept edges are held. Every
/// line must have five columns and a JSON object with a numeric "weight", dropped lines too: a
/// malformed line means a damaged or wrong file, so the import stops with a
/// <see cref="ConceptNetFormatException"/> naming the file and line, and writes nothing (a
/// previous index stays as it was). Empty lines are skipped. A file with no kept edge at all is
/// refused the same way, since it is not ConceptNet. The index is written to a temporary file and
/// renamed into place when complete, so an import is all or nothing.
/// </para>
/// <para>
/// A truncated download mostly ends inside a line and fails like any malformed line. One cut
/// exactly at a line end cannot be told from a complete file (.NET's GZipStream does not report
/// a missing end of stream), so the summary's line count is worth a look: ConceptNet 5.7's
/// assertions file has about 34 million lines.
/// </para>
/// </summary>
public static class ConceptNetImporter
{
    /// <summary>The relations KWRT tags (I, H, C), as the index names them.</summary>
    public static readonly IReadOnlyList<string> Relations = ["IsA", "HasContext", "Causes"];

    private static readonly byte[][] RelationUris = [.. Relations.Select(r => Encoding.ASCII.GetBytes("/r/" + r))];
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private const int ProgressEvery = 1_000_000;

    /// <summary>
    /// Reads <paramref name="assertionsPath"/> and replaces the index under <paramref name="artifactRoot"/>.
    /// <paramref name="linesRead"/> hears the line count every million lines.
    /// </summary>
    /// <exception cref="ConceptNetFormatException">a malformed line, or no kept edge; nothing was written</exception>
    public static ConceptNetImportSummary Import(string assertionsPath, string artifactRoot, IProgress<long>? linesRead = null,
        CancellationToken cancellation = default)
    {
        var started = Stopwatch.GetTimestamp();
        var pass = new Pass(assertionsPath);
        pass.ReadAll(linesRead, cancellation);
        if (pass.Kept.Count == 0)
            throw new ConceptNetFormatException(assertionsPath, pass.LineNumber,
                "no English IsA, HasContext or Causes assertion in the whole file: is it ConceptNet's assertions file?");

        cancellation.ThrowIfCancellationRequested();
        var rows = pass.Kept
            .GroupBy(e => e.Key.Word)
            .OrderBy(word => word.Key, StringComparer.Ordinal)
            .SelectMany(word => word.OrderByDescending(e => e.Value.Weight).ThenBy(e => e.Value.FirstLine))
            .Select(e => new ConceptNetIndexFile.Row(e.Key.Word, Relations[e.Key.Relation], e.Key.Concept, e.Value.Weight))
            .ToList();
        var indexPath = ConceptNetIndexFile.PathIn(artifactRoot);
        ConceptNetIndexFile.Write(indexPath, rows);

        var keptPerRelation = Relations.Select((name, i) => (name, pass.KeptLines[i])).ToDictionary(p => p.name, p => p.Item2);
        return new ConceptNetImportSummary(Path.GetFullPath(indexPath), pass.LineNumber, keptPerRelation,
            pass.Kept.Keys.Select(k => k.Word).Distinct().Count(), rows.Count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>One reading of one assertions file: the line being read and the edges kept so far.</summary>
    private sealed class Pass(string path)
    {
        /// <summary>Kept edges: the highest weight seen and the line that first gave the edge.</summary>
        public readonly Dictionary<(string Word, int Relation, string Concept), (double Weight, long FirstLine)> Kept = [];

        /// <summary>Kept lines per relation (index into <see cref="Relations"/>), duplicates included.</summary>
        public readonly long[] KeptLines = new long[Relations.Count];

        /// <summary>The line being read (1-based); after <see cref="ReadAll"/>, the number of lines.</summary>
        public long LineNumber;

        // Terms repeat across edges ("emotion", "slang"): one string each.
        private readonly Dictionary<string, string> terms = new(StringComparer.Ordinal);

        public void ReadAll(IProgress<long>? linesRead, CancellationToken cancellation)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
            using var input = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            var reader = new Utf8LineReader(input);
            try
            {
                while (reader.TryReadLine(out var line))
                {
                    LineNumber++;
                    if (LineNumber % ProgressEvery == 0) linesRead?.Report(LineNumber);
                    if ((LineNumber & 0xFFFF) == 0) cancellation.ThrowIfCancellationRequested();
                    if (!line.IsEmpty) Read(line);
                }
            }
            catch (InvalidDataException e) when (gzip)
            {
                throw Malformed($"cannot decompress: {e.Message}", e, LineNumber + 1);
            }
        }

        private void Read(ReadOnlySpan<byte> line)
        {
            var tabs = line.Count((byte)'\t');
            if (tabs != 4) throw Malformed($"{tabs + 1} tab-separated column(s), expected 5 (assertion, relation, start, end, JSON info)");
            var rest = line;
            _ = NextColumn(ref rest); // the assertion URI repeats the other three columns
            var relationUri = NextColumn(ref rest);
            var start = NextColumn(ref rest);
            var end = NextColumn(ref rest);
            var weight = Weight(rest);

            var relation = RelationIndex(relationUri);
            if (relation < 0 || !start.StartsWith("/c/en/"u8) || !end.StartsWith("/c/en/"u8)) return;
            KeptLines[relation]++;
            var key = (Term(start, "start"), relation, Term(end, "end"));
            Kept[key] = Kept.TryGetValue(key, out var seen) ? (Math.Max(seen.Weight, weight), seen.FirstLine) : (weight, LineNumber);
        }

        private static ReadOnlySpan<byte> NextColumn(ref ReadOnlySpan<byte> rest)
        {
            var tab = rest.IndexOf((byte)'\t');
            var column = rest[..tab];
            rest = rest[(tab + 1)..];
            return column;
        }

        private static int RelationIndex(ReadOnlySpan<byte> uri)
        {
            for (var i = 0; i < RelationUris.Length; i++)
                if (uri.SequenceEqual(RelationUris[i])) return i;
            return -1;
        }

        // Reads the whole JSON object (so a damaged one is noticed on any line) and its top-level "weight".
        private double Weight(ReadOnlySpan<byte> json)
        {
            double? weight = null;
            try
            {
                var reader = new Utf8JsonReader(json);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Malformed("the JSON info is not an object");
                while (reader.Read())
                {
                    if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1 || !reader.ValueTextEquals("weight"u8)) continue;
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value)) throw Malformed("the JSON info's \"weight\" is not a number");
                    weight = value;
                }
            }
            catch (JsonException e)
            {
                throw Malformed($"unparsable JSON info ({e.Message})", e);
            }
            return weight ?? throw Malformed("the JSON info has no \"weight\"");
        }

        // "/c/en/ice_cream/n/wn/food" -> "ice cream"
        private string Term(ReadOnlySpan<byte> uri, string column)
        {
            var term = uri["/c/en/".Length..];
            var slash = term.IndexOf((byte)'/');
            if (slash >= 0) term = term[..slash];
            if (term.IsEmpty) throw Malformed($"the {column} URI '{Encoding.UTF8.GetString(uri)}' has no term after /c/en/");
            string text;
            try
            {
                text = StrictUtf8.GetString(term).Replace('_', ' ').ToLowerInvariant();
            }
            catch (DecoderFallbackException e)
            {
                throw Malformed($"the {column} URI '{Encoding.UTF8.GetString(uri)}' is not valid UTF-8", e);
            }
            return terms.TryGetValue(text, out var shared) ? shared : terms[text] = text;
        }

        private ConceptNetFormatException Malformed(string problem, Exception? inner = null, long? line = null) =>
            new(path, line ?? LineNumber, problem, inner);
    }
}
