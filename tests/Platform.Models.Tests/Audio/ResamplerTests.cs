using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Tests.Audio;

/// <summary>The windowed-sinc resampler against torchaudio.functional.resample, and its filtering.</summary>
public sealed class ResamplerTests
{
    /// <summary>Absolute tolerance against torchaudio on signals of amplitude up to ~1 (achieved: see the README).</summary>
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(44_100, 16_000)]
    [InlineData(48_000, 16_000)]
    [InlineData(22_050, 16_000)]
    [InlineData(8_000, 16_000)]
    public void Matches_torchaudio_resample(int source, int target)
    {
        var fixture = AudioFixture.Load($"resample_{source}_{target}");
        var resampler = new Resampler(source, target);
        var output = resampler.Process(fixture["in"]);
        Assert.Equal(resampler.OutputLength(fixture["in"].Length), output.Length);
        var diff = AudioFixture.MaxAbsDiff(fixture["out"], output);
        Assert.True(diff <= Tolerance, $"{source} -> {target}: max |ours - torchaudio| = {diff:G3}");
    }

    [Fact]
    public void Same_rate_is_a_copy()
    {
        var input = Signals.Tone(16_000, 0.1, 440, 0.5);
        var output = Resampler.Resample(input, 16_000);
        Assert.Equal(input, output);
        Assert.NotSame(input, output);
    }

    [Fact]
    public void Downsampling_keeps_the_passband_and_removes_what_would_alias()
    {
        // 1 kHz survives 48 kHz -> 16 kHz with its amplitude; 11 kHz (above the new 8 kHz Nyquist) is removed.
        var kept = Resampler.Resample(Signals.Tone(48_000, 0.5, 1000, 0.5), 48_000);
        var removed = Resampler.Resample(Signals.Tone(48_000, 0.5, 11_000, 0.5), 48_000);
        Assert.Equal(8000, kept.Length);
        Assert.InRange(Signals.Rms(kept.AsSpan(1000, 6000)), 0.5 / Math.Sqrt(2) * 0.99, 0.5 / Math.Sqrt(2) * 1.01);
        var leak = Signals.Rms(removed.AsSpan(1000, 6000)) / (0.5 / Math.Sqrt(2));
        Assert.True(leak < 1e-2, $"an 11 kHz tone leaked through the anti-alias filter at {20 * Math.Log10(leak):F1} dB");
    }

    [Fact]
    public void Bad_rates_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(44_100, 16_000, lowpassFilterWidth: 0));
    }
}
