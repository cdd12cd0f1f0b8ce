using System.Text;

namespace EmotionLab.Web.Runs;

/// <summary>
/// The last lines of a run's trainer log (Run.LogPath, appended to by the node while it trains).
/// Reads backwards from the end in blocks, so a long log costs only its tail; the file is opened
/// shared because the trainer is still writing it.
/// </summary>
public sealed record RunLogTail(string Path, bool Exists, IReadOnlyList<string> Lines, bool Truncated)
{
    public const int DefaultLines = 200;
    // A runaway line (a dumped tensor) must not make the page read megabytes.
    private const int MaxBytes = 256 * 1024;
    private const int BlockSize = 16 * 1024;

    public static RunLogTail Read(string path, int maxLines = DefaultLines)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new RunLogTail(path, false, [], false);
        }
        using (file)
        {
            var length = file.Length;
            var start = length;
            var newlines = 0;
            var block = new byte[BlockSize];
            // Walk back until the tail holds maxLines complete lines (maxLines + 1 newlines, the last one ending the file).
            while (start > 0 && length - start < MaxBytes && newlines <= maxLines)
            {
                var size = (int)Math.Min(BlockSize, start);
                start -= size;
                file.Position = start;
                file.ReadExactly(block, 0, size);
                newlines += block.AsSpan(0, size).Count((byte)'\n');
            }
            var tail = new byte[length - start];
            file.Position = start;
            file.ReadExactly(tail);
            var lines = Encoding.UTF8.GetString(tail).Split('\n');
            if (lines.Length > 0 && lines[^1].Length == 0) lines = lines[..^1];
            var cut = start > 0 || lines.Length > maxLines;
            // When reading stopped mid-file, the first line is a fragment: drop it.
            var from = Math.Max(start > 0 ? 1 : 0, lines.Length - maxLines);
            return new RunLogTail(path, true, lines[from..].Select(l => l.TrimEnd('\r')).ToArray(), cut);
        }
    }
}
