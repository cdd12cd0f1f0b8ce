using System.Buffers.Binary;
using System.Diagnostics;

namespace EmotionLab.Models.Corpora.EmoSynth;

/// <summary>Speaks planned utterances to WAV files with Debian's espeak-ng (22.05 kHz mono PCM16).</summary>
public static class EspeakRenderer
{
    public const string Program = "espeak-ng";

    /// <summary>Renders one utterance and returns its duration in seconds.</summary>
    public static async Task<double> RenderAsync(PlannedUtterance utterance, string wavPath, CancellationToken cancellation = default)
    {
        var start = new ProcessStartInfo(Program, ["-m", "-v", utterance.Speaker.Voice, "-w", wavPath, utterance.Prosody.Ssml(utterance.Text, utterance.Speaker.PitchOffsetPercent)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Program} is not installed ({e.Message}): run scripts/setup.sh, which installs Debian's espeak-ng", e);
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellation);
            await process.WaitForExitAsync(cancellation);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{Program} failed on {Path.GetFileName(wavPath)} (exit {process.ExitCode}): {(await errors).Trim()}");
        }
        return Duration(wavPath);
    }

    // Seconds of audio from the RIFF header: the data chunk's size over the byte rate.
    private static double Duration(string wavPath)
    {
        var bytes = File.ReadAllBytes(wavPath);
        if (bytes.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(bytes) != 0x52494646) throw new InvalidDataException($"{wavPath}: {Program} wrote no RIFF file");
        int byteRate = 0, offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            if (id == "fmt ") byteRate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 16));
            // espeak-ng streams its output and may leave the data size at 0 or past the end: use what is there.
            if (id == "data") return byteRate == 0 ? 0 : (double)Math.Min(size <= 0 ? int.MaxValue : size, bytes.Length - offset - 8) / byteRate;
            offset += 8 + size + (size & 1);
        }
        throw new InvalidDataException($"{wavPath}: no data chunk");
    }
}
