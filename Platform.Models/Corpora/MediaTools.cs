using System.Diagnostics;
using System.Globalization;

namespace EmotionLab.Models.Corpora;

/// <summary>Debian's ffprobe and ffmpeg, called as child processes (no .NET media library is served here, STACK.md).</summary>
public sealed class MediaTools(string ffmpeg = "ffmpeg", string ffprobe = "ffprobe")
{
    /// <summary>Channel count and duration (seconds) of the first audio stream; null with ffprobe's reason when unreadable.</summary>
    public (int Channels, double Duration)? Probe(string media, out string? problem)
    {
        var (code, stdout, stderr) = Run(ffprobe, ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=channels:format=duration", "-of", "default=noprint_wrappers=1", media]);
        problem = null;
        int? channels = null;
        double? duration = null;
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = line.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0] == "channels" && int.TryParse(kv[1], CultureInfo.InvariantCulture, out var c)) channels = c;
            if (kv[0] == "duration" && double.TryParse(kv[1], CultureInfo.InvariantCulture, out var d)) duration = d;
        }
        if (code != 0 || channels is null || duration is null)
        {
            problem = code != 0 ? FirstLine(stderr) : channels is null ? "no audio stream" : "no duration";
            return null;
        }
        return (channels.Value, duration.Value);
    }

    /// <summary>
    /// The first audio stream to 16 kHz mono PCM16: the front-centre channel of 5.1 (dialogue
    /// lives there), the left channel of stereo, mono as is. Writes to a temporary name and moves
    /// it into place, so an interrupted run never leaves a wav that looks finished.
    /// </summary>
    public bool ExtractMono16k(string media, int channels, string wav, out string? problem)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(wav)!);
        var part = wav + ".part.wav";
        List<string> args = ["-nostdin", "-loglevel", "error", "-y", "-i", media, "-map", "0:a:0", "-vn"];
        if (channels == 2) args.AddRange(["-af", "pan=mono|c0=c0"]);
        else if (channels > 2) args.AddRange(["-af", "pan=mono|c0=FC"]);
        args.AddRange(["-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", part]);
        var (code, _, stderr) = Run(ffmpeg, args);
        if (code != 0)
        {
            File.Delete(part);
            problem = FirstLine(stderr);
            return false;
        }
        File.Move(part, wav, overwrite: true);
        problem = null;
        return true;
    }

    private static string FirstLine(string s)
    {
        var line = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(line) ? "no message" : line;
    }

    private static (int Code, string Stdout, string Stderr) Run(string exe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }
}
