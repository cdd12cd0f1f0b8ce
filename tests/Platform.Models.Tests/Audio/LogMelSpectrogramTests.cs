using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Tests.Audio;

/// <summary>The log-mel front-end against torchaudio's MelSpectrogram (fixtures from tools/make_audio_fixtures.py).</summary>
public sealed class LogMelSpectrogramTests
{
    /// <summary>The tolerance on log values (BENCHMARKS.md), met wherever the mel power is at least ~3.4e-4.</summary>
    private const double LogTolerance = 1e-4;
    /// <summary>log(3.4e-4): below it a bin holds under ~1e-7 of a loud frame's power.</summary>
    private const double FloorRegion = -8;
    /// <summary>
    /// Near the floor a bin holds ~1e-10 of the frame's power and float32 rounding decides its value:
    /// torch.hann_window's vectorised cosine differs from a correctly rounded one by 1 ulp at 11 of
    /// 400 samples, which moves such bins by up to ~1e-3 in log (torchaudio's own float32 result is
    /// 1.5e-4 away from its float64 result there).
    /// </summary>
    private const double FloorTolerance = 2e-3;

    [Fact]
    public void Filterbank_matches_torchaudio_melscale_fbanks()
    {
        var fixture = AudioFixture.Load("melscale_fbanks", out var shapes);
        Assert.Equal([201L, 80L], shapes["fb"]);
        var fb = new MelFilterbank(201, 80, 16_000);
        var expected = fixture["fb"];
        for (var f = 0; f < 201; f++)
            for (var m = 0; m < 80; m++)
                Assert.True(Math.Abs(expected[f * 80 + m] - fb.Weights[f, m]) <= 2e-6, $"fb[{f}, {m}] = {fb.Weights[f, m]}, torchaudio {expected[f * 80 + m]}");
        // The sparse runs hold exactly the non-zero weights.
        for (var m = 0; m < 80; m++)
        {
            var dense = Enumerable.Range(0, 201).Sum(f => (double)fb.Weights[f, m]);
            Assert.Equal(dense, fb.Runs[m].Sum(w => (double)w), 6);
            Assert.All(fb.Runs[m], w => Assert.True(w > 0));
        }
    }

    [Theory]
    [InlineData("tone")]
    [InlineData("chirp")]
    [InlineData("noise")]
    [InlineData("voiced")]
    [InlineData("short")]
    public void Log_mel_matches_torchaudio(string signal)
    {
        var fixture = AudioFixture.Load($"logmel_{signal}", out var shapes);
        var logMel = new LogMelSpectrogram().Compute(fixture["in"]);
        Assert.Equal(shapes["out"][0], logMel.Frames);
        Assert.Equal(80, logMel.Dimensions);
        var expected = fixture["out"];
        double worstAbove = 0, worstAll = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = Math.Abs((double)expected[i] - logMel.Values[i]);
            worstAll = Math.Max(worstAll, diff);
            if (expected[i] >= FloorRegion) worstAbove = Math.Max(worstAbove, diff);
        }
        Assert.True(worstAbove <= LogTolerance, $"{signal}: max |ours - torchaudio| = {worstAbove:G3} > {LogTolerance} where log-mel >= {FloorRegion}");
        Assert.True(worstAll <= FloorTolerance, $"{signal}: max |ours - torchaudio| = {worstAll:G3} > {FloorTolerance} near the log floor");
    }

    [Fact]
    public void Frames_are_one_per_hop_plus_one_and_silence_is_log_of_the_offset()
    {
        var extractor = new LogMelSpectrogram(logOffset: 1e-5f);
        var logMel = extractor.Compute(new float[16_000]);
        Assert.Equal(101, logMel.Frames);
        Assert.Equal(101, extractor.FrameCount(16_000));
        Assert.All(logMel.Values, v => Assert.Equal(MathF.Log(1e-5f), v, 5));
    }

    [Fact]
    public void A_tone_lights_the_mel_band_that_contains_it()
    {
        var samples = Signals.Tone(16_000, 1.0, 1000, 0.5);
        var logMel = new LogMelSpectrogram().Compute(samples);
        var fb = new MelFilterbank(201, 80, 16_000);
        var bin = 1000 * 400 / 16_000; // bin 25 is exactly 1 kHz
        var expectedBand = Enumerable.Range(0, 80).MaxBy(m => fb.Weights[bin, m]);
        var row = logMel.Row(50).ToArray();
        Assert.Equal(expectedBand, Array.IndexOf(row, row.Max()));
    }

    [Fact]
    public void Too_short_input_is_refused_with_the_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => new LogMelSpectrogram().Compute(new float[200]));
        Assert.Contains("reflect padding", error.Message);
    }
}
