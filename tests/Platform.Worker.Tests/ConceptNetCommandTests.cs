using System.CommandLine;
using EmotionLab.Models.Knowledge;
using EmotionLab.Worker.Knowledge;

namespace EmotionLab.Worker.Tests;

/// <summary><c>conceptnet import FILE --artifacts DIR</c> as the command line parses and runs it.</summary>
public sealed class ConceptNetCommandTests : IDisposable
{
    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "Fixtures", "conceptnet-assertions-sample.csv");
    private readonly string folder = Directory.CreateTempSubdirectory("emotionlab-conceptnet-verb-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Artifacts => Path.Combine(folder, "artifacts");

    private static (int Exit, string Output, string Errors) Run(params string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var root = new RootCommand { ConceptNetCommand.Create() };
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public void Import_prints_the_counts_and_the_index_path_and_leaves_a_loadable_index()
    {
        var (exit, output, errors) = Run("conceptnet", "import", Sample, "--artifacts", Artifacts);

        Assert.True(exit == 0, errors);
        var index = ConceptNetIndexFile.PathIn(Path.GetFullPath(Artifacts));
        var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(["lines read: 41", "kept: IsA 16, HasContext 5, Causes 8 (1 duplicate(s) merged)", "words: 15", "relations: 28", $"index: {index}"],
            lines.Where(l => !l.StartsWith("seconds: ")));
        Assert.Matches(@"^seconds: \d+\.\d$", lines[^2]);
        Assert.Empty(errors);
        Assert.Equal([new("IsA", "emotion"), new("IsA", "feeling"), new WordRelation("IsA", "event")],
            ConceptNetIndex.TryOpen(Artifacts)!.Of("surprise", 3));
    }

    [Fact]
    public void A_malformed_line_exits_1_naming_the_file_and_line_on_stderr_and_writes_nothing()
    {
        var lines = File.ReadAllLines(Sample);
        lines[29] = lines[29].Replace("\t/r/", " /r/");
        var broken = Path.Combine(folder, "broken.csv");
        File.WriteAllLines(broken, lines);

        var (exit, output, errors) = Run("conceptnet", "import", broken, "--artifacts", Artifacts);

        Assert.Equal(1, exit);
        Assert.Equal($"conceptnet import: {broken} line 30: 4 tab-separated column(s), expected 5 (assertion, relation, start, end, JSON info); nothing was written",
            errors.Trim());
        Assert.DoesNotContain("index:", output);
        Assert.Null(ConceptNetIndex.TryOpen(Artifacts));
    }

    [Fact]
    public void A_missing_file_exits_2()
    {
        var missing = Path.Combine(folder, "conceptnet-assertions-5.7.0.csv.gz");

        var (exit, _, errors) = Run("conceptnet", "import", missing, "--artifacts", Artifacts);

        Assert.Equal(2, exit);
        Assert.Equal($"conceptnet import: {missing} does not exist", errors.Trim());
        Assert.False(Directory.Exists(Artifacts));
    }
}
