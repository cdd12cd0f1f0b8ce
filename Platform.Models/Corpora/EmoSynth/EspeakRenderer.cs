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
        return WavInfo.TryRead(wavPath, out var problem)?.Duration
               ?? throw new InvalidDataException($"{wavPath}: {Program} wrote no readable wav ({problem})");
    }
}
