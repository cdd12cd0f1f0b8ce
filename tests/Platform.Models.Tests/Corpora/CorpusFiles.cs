using System.Diagnostics;
using System.Text;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>Writes the small corpus trees the importer tests read: text files exactly as given, media made by ffmpeg.</summary>
internal static class CorpusFiles
{
    public static string NewTempFolder(string what)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"emotionlab-{what}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>UTF-8 without BOM, lines joined by CRLF and ended by one (MELD's CSVs).</summary>
    public static void WriteCrlf(string root, string relative, params string[] lines) =>
        Write(root, relative, string.Concat(lines.Select(l => l + "\r\n")));

    /// <summary>UTF-8 without BOM, lines joined by LF (IEMOCAP's text files).</summary>
    public static void WriteLf(string root, string relative, params string[] lines) =>
        Write(root, relative, string.Concat(lines.Select(l => l + "\n")));

    public static void Write(string root, string relative, string text) =>
        WriteBytes(root, relative, new UTF8Encoding(false).GetBytes(text));

    public static void WriteBytes(string root, string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public static void Copy(string source, string root, string relative)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(source, path);
    }

    /// <summary>Runs ffmpeg once; several outputs per call keep the tests fast.</summary>
    public static void Ffmpeg(string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { WorkingDirectory = workDir, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-nostdin", "-loglevel", "error", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {err}");
    }
}
