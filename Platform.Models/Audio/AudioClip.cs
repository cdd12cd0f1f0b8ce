namespace EmotionLab.Models.Audio;

/// <summary>
/// Decoded audio: interleaved float samples in [-1, 1) (integer PCM divided by 2^(bits-1), as
/// torchaudio and soundfile normalise), the sample rate and the channel count.
/// </summary>
public sealed class AudioClip
{
    public int SampleRate { get; }
    public int Channels { get; }
    /// <summary>Frame-major: sample of channel c in frame t is at [t * Channels + c].</summary>
    public float[] Interleaved { get; }
    public int FrameCount => Interleaved.Length / Channels;
    public double DurationSeconds => (double)FrameCount / SampleRate;

    public AudioClip(float[] interleaved, int sampleRate, int channels)
    {
        ArgumentNullException.ThrowIfNull(interleaved);
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "the sample rate must be positive");
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "the channel count must be positive");
        if (interleaved.Length % channels != 0)
            throw new ArgumentException($"{interleaved.Length} samples do not split into whole frames of {channels} channels", nameof(interleaved));
        Interleaved = interleaved;
        SampleRate = sampleRate;
        Channels = channels;
    }

    /// <summary>The mean of all channels per frame (a mono clip is returned as is, not copied).</summary>
    public float[] Mono()
    {
        if (Channels == 1) return Interleaved;
        var mono = new float[FrameCount];
        var scale = 1f / Channels;
        for (var t = 0; t < mono.Length; t++)
        {
            var sum = 0f;
            var row = t * Channels;
            for (var c = 0; c < Channels; c++) sum += Interleaved[row + c];
            mono[t] = sum * scale;
        }
        return mono;
    }

    /// <summary>One channel (0-based), e.g. MELD's front-centre channel of a 5.1 track.</summary>
    public float[] Channel(int channel)
    {
        if (channel < 0 || channel >= Channels)
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"the clip has {Channels} channel(s)");
        if (Channels == 1) return Interleaved;
        var samples = new float[FrameCount];
        for (var t = 0; t < samples.Length; t++) samples[t] = Interleaved[t * Channels + channel];
        return samples;
    }
}
