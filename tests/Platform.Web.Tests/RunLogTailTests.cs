using System.Text;
using EmotionLab.Web.Runs;

namespace EmotionLab.Web.Tests;

/// <summary>Reading the end of a trainer log from files on disk.</summary>
public sealed class RunLogTailTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("run-log-tail-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void A_long_log_gives_its_last_lines_whole_across_read_blocks()
    {
        // Lines of varying length, so block boundaries fall mid-line; some non-ASCII.
        var lines = Enumerable.Range(1, 5000).Select(i => $"{i}: {new string('x', i % 97)} é").ToArray();
        var tail = RunLogTail.Read(Write("long.log", string.Join("\n", lines) + "\n"), 200);
        Assert.True(tail.Exists);
        Assert.True(tail.Truncated);
        Assert.Equal(lines[^200..], tail.Lines);
    }

    [Fact]
    public void A_short_log_is_shown_whole_with_or_without_a_final_newline_and_crlf_trimmed()
    {
        var tail = RunLogTail.Read(Write("short.log", "one\r\ntwo\nthree"));
        Assert.Equal(["one", "two", "three"], tail.Lines);
        Assert.False(tail.Truncated);
        Assert.Empty(RunLogTail.Read(Write("empty.log", "")).Lines);
    }

    [Fact]
    public void A_missing_file_says_so()
    {
        var tail = RunLogTail.Read(Path.Combine(folder, "nope", "trainer.log"));
        Assert.False(tail.Exists);
        Assert.Empty(tail.Lines);
    }

    [Fact]
    public void A_runaway_line_does_not_make_it_read_the_whole_file()
    {
        var path = Write("huge.log", "first\n" + new string('y', 2_000_000) + "\nlast\n");
        var tail = RunLogTail.Read(path);
        Assert.True(tail.Truncated);
        Assert.Equal(["last"], tail.Lines); // the cut-off fragment of the huge line is dropped
    }
}
