using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Corpora;

/// <summary>What became of one clip: written, too long to extract, or undecodable (with the reason).</summary>
public sealed record ClipExtraction(bool Written, double? Duration, string? Problem)
{
    public static ClipExtraction Done { get; } = new(true, null, null);
    public static ClipExtraction TooLong(double duration) => new(false, duration, null);
    public static ClipExtraction Undecodable(string problem) => new(false, null, problem);
}

/// <summary>
/// A clip's first audio stream to 16 kHz mono PCM16, as a corpus stores it. Mono and stereo WAV
/// (any rate, integer or float samples) are read and written in this process: the left channel
/// of stereo, resampled by <see cref="Resampler"/> (torchaudio's algorithm) when not at 16 kHz,
/// so importing EmoSynth's thousands of clips starts no process per clip. Everything else
/// (MELD's mp4, multichannel WAV, codecs WavReader does not read) goes to ffprobe and ffmpeg,
/// which take the front-centre channel of 5.1 and resample with their own filter: a clip read
/// both ways is sample-identical at 16 kHz and, resampled, differs by 30 dB or more below the
/// signal (the filters differ near the cut-off; EmoSynth's clips: 33 to 55 dB, median 40).
/// </summary>
public sealed class ClipExtractor(MediaTools media)
{
    public const int SampleRate = 16_000;

    /// <summary>Read WAV in this process (on by default); off sends every clip to ffmpeg, as imports did before.</summary>
    public bool ReadsWavInProcess { get; init; } = true;

    /// <summary>Writes <paramref name="wav"/> from <paramref name="source"/> unless the clip lasts over <paramref name="maxSeconds"/>.</summary>
    public ClipExtraction Extract(string source, string wav, double maxSeconds)
    {
        if (ReadsWavInProcess && source.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) && ReadWav(source) is { Channels: <= 2 } clip)
        {
            if (clip.DurationSeconds > maxSeconds) return ClipExtraction.TooLong(clip.DurationSeconds);
            var left = clip.Channel(0);
            var samples = clip.SampleRate == SampleRate ? left : Resampler.Resample(left, clip.SampleRate, SampleRate);
            Directory.CreateDirectory(Path.GetDirectoryName(wav)!);
            WavWriter.WritePcm16(wav, samples, SampleRate);
            return ClipExtraction.Done;
        }

        if (media.Probe(source, out var probeProblem) is not { } probe) return ClipExtraction.Undecodable(probeProblem!);
        if (probe.Duration > maxSeconds) return ClipExtraction.TooLong(probe.Duration);
        return media.ExtractMono16k(source, probe.Channels, wav, out var extractProblem) ? ClipExtraction.Done : ClipExtraction.Undecodable(extractProblem!);
    }

    // A WAV this reader cannot decode may still be one ffmpeg can (ADPCM, mu-law): it gets the file.
    private static AudioClip? ReadWav(string path)
    {
        try { return WavReader.Read(path); }
        catch (AudioFormatException) { return null; }
    }
}
