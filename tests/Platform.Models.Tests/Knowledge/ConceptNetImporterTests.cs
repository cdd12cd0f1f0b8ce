using System.IO.Compression;
using System.Text;
using EmotionLab.Models.Knowledge;
using Row = EmotionLab.Models.Knowledge.ConceptNetIndexFile.Row;

namespace EmotionLab.Models.Tests.Knowledge;

/// <summary>Importing ConceptNet's assertions format: what is kept, how it is ordered, bad lines, all or nothing, gzip.</summary>
public sealed class ConceptNetImporterTests : IDisposable
{
    /// <summary>41 hand-written lines in ConceptNet 5.7's assertions format, on EmoSynth's vocabulary.</summary>
    public static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "Fixtures", "conceptnet-assertions-sample.csv");

    /// <summary>The whole index the sample gives: words in ordinal order, each strongest first, ties in file order.</summary>
    public static readonly Row[] SampleIndex =
    [
        new("anger", "IsA", "emotion", 2), new("anger", "Causes", "violence", 1),
        new("crash", "IsA", "accident", 2), new("crash", "Causes", "injury", 1),
        new("fear", "IsA", "emotion", 2), new("fear", "Causes", "running away", 1),
        new("filth", "HasContext", "uk", 1), new("filth", "HasContext", "slang", 1),
        new("gross", "IsA", "amount", 2), new("gross", "HasContext", "slang", 1),
        new("job", "IsA", "occupation", 2),
        new("joy", "IsA", "emotion", 2), new("joy", "IsA", "positive emotion", 1),
        new("love", "IsA", "emotion", 2), new("love", "Causes", "happiness", 2), new("love", "HasContext", "tennis", 1),
        new("lying", "Causes", "distrust", 1),
        new("noise", "Causes", "annoyance", 0.5),
        // Open Mind's "party IsA gathering" (1.0) comes first, WordNet repeats it at 2.0 after "organization":
        // one relation at 2.0, placed where it first appeared, so ahead of "organization" in the tie.
        new("party", "IsA", "gathering", 2), new("party", "IsA", "organization", 2), new("party", "Causes", "fun", 1),
        new("sadness", "IsA", "sorrow", 2),
        new("sick", "HasContext", "slang", 1),
        new("surprise", "IsA", "emotion", 3.464), new("surprise", "IsA", "feeling", 2), new("surprise", "IsA", "event", 2),
        new("surprise", "Causes", "laughter", 1),
        new("surprise party", "IsA", "party", 2),
    ];

    private readonly string folder = Directory.CreateTempSubdirectory("emotionlab-conceptnet-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Artifacts => Path.Combine(folder, "artifacts");

    private string IndexPath => ConceptNetIndexFile.PathIn(Artifacts);

    private static string[] SampleLines() => File.ReadAllLines(Sample, Encoding.UTF8);

    private string WriteAssertions(string name, IEnumerable<string> lines, string lineEnd = "\n")
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + lineEnd)), new UTF8Encoding(false));
        return path;
    }

    /// <summary>The sample with line <paramref name="number"/> (1-based) replaced.</summary>
    private string SampleWithLine(int number, Func<string, string> replace)
    {
        var lines = SampleLines();
        lines[number - 1] = replace(lines[number - 1]);
        return WriteAssertions($"broken-{number}-{Guid.NewGuid():N}.csv", lines);
    }

    [Fact]
    public void The_sample_gives_exactly_its_english_IsA_HasContext_and_Causes_relations_strongest_first()
    {
        var summary = ConceptNetImporter.Import(Sample, Artifacts);

        Assert.Equal(SampleIndex, ConceptNetIndexFile.Read(IndexPath));
        Assert.Equal(Path.GetFullPath(IndexPath), summary.IndexPath);
        Assert.Equal(41, summary.LinesRead);
        Assert.Equal(new Dictionary<string, long> { ["IsA"] = 16, ["HasContext"] = 5, ["Causes"] = 8 }, summary.KeptPerRelation);
        Assert.Equal(1, summary.DuplicatesMerged);
        Assert.Equal(15, summary.Words);
        Assert.Equal(28, summary.Relations);
        Assert.Equal(ConceptNetIndexFile.Header, File.ReadLines(IndexPath).First());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(IndexPath)!)); // no temporary file left
    }

    [Fact]
    public void Non_english_ends_and_other_relations_are_dropped()
    {
        // The sample's only kept relation with one end in another language starts in French; add an English start with a French end.
        var englishToFrench = "/a/[/r/IsA/,/c/en/fear/n/,/c/fr/peur/n/]\t/r/IsA\t/c/en/fear/n\t/c/fr/peur/n\t" +
            "{\"dataset\": \"/d/wiktionary/fr\", \"license\": \"cc:by-sa/4.0\", \"sources\": [{\"contributor\": \"/s/resource/wiktionary/fr\"}], \"weight\": 5.0}";
        var summary = ConceptNetImporter.Import(WriteAssertions("with-french-end.csv", [.. SampleLines(), englishToFrench]), Artifacts);
        var rows = ConceptNetIndexFile.Read(IndexPath).ToList();

        Assert.Equal(SampleIndex, rows);
        Assert.Equal(16, summary.KeptPerRelation["IsA"]);

        // The sample has these words and concepts only on dropped lines: RelatedTo, Synonym, Antonym,
        // ExternalURL, dbpedia/genre, and IsA or HasContext with a French, German, Japanese or Spanish end.
        string[] dropped = ["unexpected", "hate", "happy", "glad", "sad", "music", "freude", "gefühl", "喜び", "感情", "miedo", "emoción", "sympa", "informal", "émotion", "peur"];
        foreach (var term in dropped)
            Assert.DoesNotContain(rows, r => r.Word == term || r.Concept == term);
        Assert.DoesNotContain(rows, r => r.Concept.Contains("http") || r.Concept.Contains('/') || r.Word.Contains('/'));
        Assert.Equal(["Causes", "HasContext", "IsA"], rows.Select(r => r.Relation).Distinct().Order());
    }

    [Fact]
    public void A_line_with_the_wrong_column_count_fails_naming_the_file_and_line_and_writes_no_index()
    {
        var broken = SampleWithLine(17, line => line[..line.LastIndexOf('\t')]); // JSON info column lost

        var error = Assert.Throws<ConceptNetFormatException>(() => ConceptNetImporter.Import(broken, Artifacts));

        Assert.Equal((broken, 17L), (error.File, error.Line));
        Assert.StartsWith($"{broken} line 17: 4 tab-separated column(s), expected 5", error.Message);
        Assert.False(Directory.Exists(Path.GetDirectoryName(IndexPath)), "a failed import must not create the index folder");
        Assert.Null(ConceptNetIndex.TryOpen(Artifacts));
    }

    [Fact]
    public void Unparsable_JSON_fails_even_on_a_line_that_would_be_dropped()
    {
        // Line 6 is a French IsA: dropped, but a damaged line means a damaged file.
        Assert.Contains("/c/fr/", SampleLines()[5]);
        var broken = SampleWithLine(6, line => line.Replace("\"weight\": 1.0}", "\"weight\": 1.0"));

        var error = Assert.Throws<ConceptNetFormatException>(() => ConceptNetImporter.Import(broken, Artifacts));

        Assert.Equal(6, error.Line);
        Assert.Contains($"{broken} line 6: unparsable JSON info", error.Message);
        Assert.False(File.Exists(IndexPath));
    }

    [Theory]
    [InlineData(", \"weight\": 2.0}", "}", "the JSON info has no \"weight\"")]
    [InlineData("\"weight\": 2.0}", "\"weight\": \"strong\"}", "the JSON info's \"weight\" is not a number")]
    public void A_line_needs_a_numeric_weight(string weight, string replacement, string problem)
    {
        Assert.EndsWith(weight, SampleLines()[1]);
        var broken = SampleWithLine(2, line => line.Replace(weight, replacement));

        var error = Assert.Throws<ConceptNetFormatException>(() => ConceptNetImporter.Import(broken, Artifacts));

        Assert.Equal((2L, problem), (error.Line, error.Problem));
        Assert.False(File.Exists(IndexPath));
    }

    [Fact]
    public void A_failed_import_leaves_the_previous_index_as_it_was()
    {
        ConceptNetImporter.Import(Sample, Artifacts);
        var before = File.ReadAllBytes(IndexPath);
        var broken = SampleWithLine(41, line => line.Replace('\t', ' '));

        var error = Assert.Throws<ConceptNetFormatException>(() => ConceptNetImporter.Import(broken, Artifacts));

        Assert.Equal(41, error.Line);
        Assert.Equal(before, File.ReadAllBytes(IndexPath));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(IndexPath)!));
    }

    [Fact]
    public void Importing_again_replaces_the_index()
    {
        ConceptNetImporter.Import(Sample, Artifacts);
        var loveOnly = WriteAssertions("love.csv", SampleLines().Where(l => l.Contains("\t/c/en/love")));

        var summary = ConceptNetImporter.Import(loveOnly, Artifacts);

        Assert.Equal((4L, 1, 3), (summary.LinesRead, summary.Words, summary.Relations));
        Assert.Equal(SampleIndex.Where(r => r.Word == "love"), ConceptNetIndexFile.Read(IndexPath));
        var index = ConceptNetIndex.TryOpen(Artifacts)!;
        Assert.Empty(index.Of("surprise", 3));
        Assert.Equal(["emotion", "happiness", "tennis"], index.Of("love", 3).Select(r => r.Concept));
    }

    [Fact]
    public void A_gzip_file_gives_the_same_index_as_the_plain_one()
    {
        var gz = Path.Combine(folder, "conceptnet-assertions-sample.csv.gz");
        using (var input = File.OpenRead(Sample))
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Optimal))
            input.CopyTo(output);

        var summary = ConceptNetImporter.Import(gz, Artifacts);

        Assert.Equal((41L, 28), (summary.LinesRead, summary.Relations));
        Assert.Equal(SampleIndex, ConceptNetIndexFile.Read(IndexPath));
    }

    [Fact]
    public void A_damaged_gzip_file_fails_naming_the_file_and_writes_nothing()
    {
        var gz = Path.Combine(folder, "damaged.csv.gz");
        using (var input = File.OpenRead(Sample))
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Optimal))
            input.CopyTo(output);
        var bytes = File.ReadAllBytes(gz);
        for (var i = 20; i < 120; i++) bytes[i] ^= 0x5A; // scramble the deflate stream after the gzip header
        File.WriteAllBytes(gz, bytes);

        var error = Assert.Throws<ConceptNetFormatException>(() => ConceptNetImporter.Import(gz, Artifacts));

        Assert.Equal((gz, 1L), (error.File, error.Line));
        Assert.StartsWith("cannot decompress: ", error.Problem);
        Assert.False(File.Exists(IndexPath));
    }

    [Fact]
    public void CRLF_line_ends_a_missing_final_line_break_empty_lines_and_lines_longer_than_the_read_buffer_are_read()
    {
        var lines = SampleLines().ToList();
        // A 3 MB JSON info (a long list of sources) on a kept line: longer than the reader's 1 MB buffer.
        var sources = string.Join(", ", Enumerable.Range(0, 70_000).Select(i => $"{{\"contributor\": \"/s/contributor/omcs/user{i}\"}}"));
        lines[2] = lines[2].Replace("\"sources\": [", $"\"sources\": [{sources}, ");
        lines.Insert(10, "");
        var path = WriteAssertions("crlf.csv", lines, "\r\n");
        File.WriteAllText(path, File.ReadAllText(path).TrimEnd('\r', '\n')); // no line break after the last line

        var summary = ConceptNetImporter.Import(path, Artifacts);

        Assert.True(new FileInfo(path).Length > 3_000_000);
        Assert.Equal((42L, 28), (summary.LinesRead, summary.Relations));
        Assert.Equal(SampleIndex, ConceptNetIndexFile.Read(IndexPath));
    }

    [Fact]
    public void A_file_without_any_kept_relation_is_refused()
    {
        var others = WriteAssertions("others.csv", SampleLines().Where(l => !l.Contains("/c/en/") || l.Contains("/r/RelatedTo") || l.Contains("/r/Antonym")));

        var error = Assert.Throws<ConceptNetFormatException>(() => ConceptNetImporter.Import(others, Artifacts));

        Assert.Contains("no English IsA, HasContext or Causes assertion", error.Message);
        Assert.False(File.Exists(IndexPath));
    }

    [Fact]
    public void A_missing_file_throws_and_writes_nothing()
    {
        Assert.Throws<FileNotFoundException>(() => ConceptNetImporter.Import(Path.Combine(folder, "absent.csv"), Artifacts));
        Assert.False(File.Exists(IndexPath));
    }
}
