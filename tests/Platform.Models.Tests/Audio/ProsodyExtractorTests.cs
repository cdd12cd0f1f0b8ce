using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Tests.Audio;

/// <summary>YIN F0, voicing and energy on synthetic signals whose answers are known.</summary>
public sealed class ProsodyExtractorTests
{
    private static readonly ProsodyExtractor Extractor = new();

    /// <summary>Frames whose analysis span lies fully inside the clip (the edges see zero padding).</summary>
    private static IEnumerable<int> Inner(ProsodyFeatures p) => Enumerable.Range(5, p.Frames - 10);

    [Theory]
    [InlineData(200.0)]
    [InlineData(95.0)]
    [InlineData(440.0)]
    public void A_tone_is_voiced_at_its_frequency(double hz)
    {
        var p = Extractor.Extract(Signals.Tone(16_000, 1.0, hz, 0.5));
        Assert.Equal(101, p.Frames);
        foreach (var i in Inner(p))
        {
            Assert.True(p.Voiced[i], $"frame {i} of a {hz} Hz tone is unvoiced");
            Assert.InRange(p.F0Hz[i], hz - 2, hz + 2);
            Assert.True(p.VoicingProbability[i] > 0.9);
        }
    }

    [Fact]
    public void A_harmonic_complex_is_tracked_at_its_fundamental_not_a_harmonic()
    {
        var samples = new float[16_000];
        for (var k = 1; k <= 6; k++)
        {
            var tone = Signals.Tone(16_000, 1.0, 150 * k, 0.3 / k);
            for (var i = 0; i < samples.Length; i++) samples[i] += tone[i];
        }
        var p = Extractor.Extract(samples);
        Assert.All(Inner(p), i => Assert.InRange(p.F0Hz[i], 148, 152));
    }

    [Fact]
    public void Noise_and_silence_are_unvoiced()
    {
        var noise = Extractor.Extract(Signals.Noise(16_000, 1.0, 0.3, seed: 7));
        Assert.True(noise.Voiced.Count(v => v) <= noise.Frames / 20, $"{noise.Voiced.Count(v => v)} of {noise.Frames} noise frames voiced");
        Assert.All(noise.EnergyDb, e => Assert.InRange(e, -20, -10)); // uniform ±0.3: mean square 0.03 -> -15.2 dB

        var silence = Extractor.Extract(new float[8000]);
        Assert.All(silence.Voiced, Assert.False);
        Assert.All(silence.F0Hz, f => Assert.Equal(0, f));
        Assert.All(silence.EnergyDb, e => Assert.Equal(ProsodyExtractor.EnergyFloorDb, e));
    }

    [Fact]
    public void A_chirp_is_tracked_as_it_rises()
    {
        var p = Extractor.Extract(Signals.Chirp(16_000, 1.0, 120, 320, 0.5));
        foreach (var i in Inner(p))
        {
            var expected = Signals.ChirpFrequency(i * 0.01, 1.0, 120, 320);
            Assert.True(p.Voiced[i], $"frame {i} unvoiced");
            Assert.InRange(p.F0Hz[i], expected * 0.97, expected * 1.03);
        }
    }

    [Fact]
    public void Energy_of_a_sine_is_its_mean_square_in_dB_and_the_matrix_holds_every_feature()
    {
        var p = Extractor.Extract(Signals.Tone(16_000, 0.5, 200, 0.5));
        Assert.InRange(p.EnergyDb[25], 10 * Math.Log10(0.125) - 0.1, 10 * Math.Log10(0.125) + 0.1);
        var matrix = p.ToMatrix();
        Assert.Equal((p.Frames, 4), (matrix.Frames, matrix.Dimensions));
        Assert.Equal(p.F0Hz[25], matrix[25, 0]);
        Assert.Equal(1f, matrix[25, 1]);
        Assert.Equal(p.EnergyDb[25], matrix[25, 3]);
    }

    [Fact]
    public void A_voiced_stretch_between_silences_is_found_where_it_is()
    {
        var samples = new float[16_000];
        Signals.Tone(16_000, 0.4, 180, 0.5).CopyTo(samples, 4800); // 0.3 s .. 0.7 s
        var p = Extractor.Extract(samples);
        Assert.All(Enumerable.Range(0, 25), i => Assert.False(p.Voiced[i], $"frame {i} before the tone is voiced"));
        Assert.All(Enumerable.Range(35, 30), i => Assert.True(p.Voiced[i], $"frame {i} inside the tone is unvoiced"));
        Assert.All(Enumerable.Range(76, 25), i => Assert.False(p.Voiced[i], $"frame {i} after the tone is voiced"));
    }
}
