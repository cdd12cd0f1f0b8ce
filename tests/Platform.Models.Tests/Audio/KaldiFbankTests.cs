using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Tests.Audio;

/// <summary>Kaldi's filterbank (BEATs' front-end) against torchaudio.compliance.kaldi.fbank (tools/make_audio_fixtures.py).</summary>
public sealed class KaldiFbankTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// Where a bin's energy is at least e^5 (a signal a few LSBs loud in 16-bit scale), our value
    /// is within 2e-4 of torchaudio's: float32 rounding alone moves torchaudio's own result by up
    /// to 1.9e-4 from its float64 result on white noise.
    /// </summary>
    private const double Tolerance = 2e-4;
    private const double AudibleLog = 5;

    [Theory]
    [InlineData("voiced")]
    [InlineData("noise")]
    [InlineData("tone")]
    public void Fbank_matches_torchaudio_kaldi(string signal)
    {
        var fixture = AudioFixture.Load($"kaldi_fbank_{signal}", out var shapes);
        var fbank = new KaldiFbank().Compute(fixture["in"].Select(x => x * 32768f).ToArray());
        Assert.Equal(shapes["out"], new long[] { fbank.Frames, fbank.Dimensions });
        var (audible, ours, theirs) = Differences(fixture, fbank);
        output.WriteLine($"{signal}: |ours - torchaudio| {audible:G3} where audible; from float64: ours {ours:G3}, torchaudio's float32 {theirs:G3}");
        Assert.True(audible <= Tolerance, $"{signal}: max |ours - torchaudio| = {audible:G3} > {Tolerance} where log energy >= {AudibleLog}");
        // Near the epsilon floor float32 rounding decides the value: there we are at least as close
        // to the float64 result as torchaudio's own float32 is.
        Assert.True(ours <= theirs + 1e-5, $"{signal}: {ours:G3} from float64 where torchaudio's float32 is {theirs:G3}");
    }

    [Fact]
    public void A_changed_sample_fails_the_parity_check()
    {
        var fixture = AudioFixture.Load("kaldi_fbank_voiced");
        var samples = fixture["in"].Select(x => x * 32768f).ToArray();
        samples[4000] += 50f;
        Assert.True(Differences(fixture, new KaldiFbank().Compute(samples)).Audible > Tolerance);
    }

    [Fact]
    public void Frames_are_those_that_fit_wholly()
    {
        var fbank = new KaldiFbank();
        Assert.Equal(0, fbank.FrameCount(399));
        Assert.Equal(1, fbank.FrameCount(400));
        Assert.Equal(1, fbank.FrameCount(559));
        Assert.Equal(2, fbank.FrameCount(560));
        Assert.Equal(0, fbank.Compute(new float[300]).Frames);
        // Silence sits on the epsilon floor.
        Assert.All(fbank.Compute(new float[800]).Values, v => Assert.Equal(MathF.Log(1.1920929e-07f), v, 5));
    }

    private static (double Audible, double OursFromExact, double TorchFromExact) Differences(Dictionary<string, float[]> fixture, FeatureMatrix fbank)
    {
        var (torch32, exact) = (fixture["out"], fixture["out64"]);
        double audible = 0, ours = 0, theirs = 0;
        for (var i = 0; i < exact.Length; i++)
        {
            if (exact[i] >= AudibleLog) audible = Math.Max(audible, Math.Abs(fbank.Values[i] - (double)torch32[i]));
            ours = Math.Max(ours, Math.Abs(fbank.Values[i] - (double)exact[i]));
            theirs = Math.Max(theirs, Math.Abs(torch32[i] - (double)exact[i]));
        }
        return (audible, ours, theirs);
    }
}
