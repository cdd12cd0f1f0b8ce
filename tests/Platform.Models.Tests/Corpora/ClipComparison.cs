using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>Compares two extractions of one clip: 16 kHz mono, lengths within a sample, and the signal-to-difference ratio.</summary>
internal static class ClipComparison
{
    /// <summary>The ratio in dB of the reference's energy to the difference's, over the common length; infinity when identical.</summary>
    public static double SnrDb(float[] reference, float[] other)
    {
        var n = Math.Min(reference.Length, other.Length);
        double signal = 0, difference = 0;
        for (var i = 0; i < n; i++)
        {
            signal += (double)reference[i] * reference[i];
            difference += (double)(reference[i] - other[i]) * (reference[i] - other[i]);
        }
        return difference == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / difference);
    }

    // ffmpeg rounds the resampled length down where torchaudio's algorithm rounds it up.
    public static void AssertClose(string referenceWav, string otherWav, double minSnrDb)
    {
        var (reference, other) = (WavReader.Read(referenceWav), WavReader.Read(otherWav));
        Assert.Equal((16_000, 1), (reference.SampleRate, reference.Channels));
        Assert.Equal((16_000, 1), (other.SampleRate, other.Channels));
        Assert.InRange(other.FrameCount - reference.FrameCount, -1, 1);
        var snr = SnrDb(reference.Interleaved, other.Interleaved);
        Assert.True(snr >= minSnrDb, $"{Path.GetFileName(otherWav)}: {snr:F1} dB against ffmpeg's extraction, under {minSnrDb} dB");
    }
}
