using EmotionLab.Models.Audio;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Tests.Audio;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>
/// WAV read in this process against ffmpeg's extraction of the same file, which every import used
/// before: identical samples at 16 kHz, the same channel and the resampled signal within 35 dB
/// (the two resamplers' filters differ near the cut-off), and the fallbacks to ffmpeg.
/// </summary>
public sealed class ClipExtractorTests : IDisposable
{
    private readonly string root = CorpusFiles.NewTempFolder("clips");
    private readonly ClipExtractor inProcess = new(new MediaTools());
    private readonly ClipExtractor ffmpeg = new(new MediaTools()) { ReadsWavInProcess = false };

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static float[] Speechlike(int rate, double seconds, int seed)
    {
        var chirp = Signals.Chirp(rate, seconds, 120, 3_000, 0.3);
        var noise = Signals.Noise(rate, seconds, 0.05, seed);
        return chirp.Select((x, i) => x + noise[i]).ToArray();
    }

    private static float[] Interleave(float[] left, float[] right) => left.SelectMany((l, i) => new[] { l, right[i] }).ToArray();

    private (string InProcess, string Ffmpeg) ExtractBoth(string source)
    {
        var (a, b) = (Path.Combine(root, "in-process", Path.GetFileName(source)), Path.Combine(root, "ffmpeg", Path.GetFileName(source)));
        Assert.Equal(ClipExtraction.Done, inProcess.Extract(source, a, maxSeconds: 30));
        Assert.Equal(ClipExtraction.Done, ffmpeg.Extract(source, b, maxSeconds: 30));
        return (a, b);
    }

    [Fact]
    public void A_16_khz_wav_keeps_its_samples_exactly_mono_or_the_left_channel_of_stereo()
    {
        var (left, right) = (Speechlike(16_000, 1.5, 1), Speechlike(16_000, 1.5, 2));
        var mono = Path.Combine(root, "mono16k.wav");
        var stereo = Path.Combine(root, "stereo16k.wav");
        WavWriter.Write(mono, left, 16_000, 1);
        WavWriter.Write(stereo, Interleave(left, right), 16_000, 2);

        foreach (var source in new[] { mono, stereo })
        {
            var (ours, theirs) = ExtractBoth(source);
            Assert.Equal(WavReader.Read(theirs).Interleaved, WavReader.Read(ours).Interleaved);
            Assert.Equal(File.ReadAllBytes(mono), File.ReadAllBytes(ours)); // the left channel, as PCM16, is the mono file
        }
    }

    [Theory]
    [InlineData(44_100, WavSampleFormat.Pcm16)]
    [InlineData(22_050, WavSampleFormat.Float32)]
    [InlineData(48_000, WavSampleFormat.Pcm24)]
    public void A_stereo_wav_at_another_rate_is_resampled_from_its_left_channel_within_35_db_of_ffmpeg(int rate, WavSampleFormat format)
    {
        var source = Path.Combine(root, $"stereo{rate}.wav");
        WavWriter.Write(source, Interleave(Speechlike(rate, 1.5, 3), Speechlike(rate, 1.5, 4)), rate, 2, format);
        var (ours, theirs) = ExtractBoth(source);
        ClipComparison.AssertClose(theirs, ours, minSnrDb: 35);
        // Our resampler is torchaudio's algorithm (ResamplerTests hold it to torchaudio within 1e-5).
        var expected = Resampler.Resample(WavReader.Read(source).Channel(0), rate);
        Assert.True(ClipComparison.SnrDb(expected, WavReader.Read(ours).Interleaved) > 80, "the written clip is the resampled left channel, up to PCM16 rounding");
    }

    [Fact]
    public void A_clip_over_the_limit_is_not_written_and_its_duration_is_given()
    {
        var source = Path.Combine(root, "long.wav");
        WavWriter.Write(source, Speechlike(22_050, 3, 5), 22_050, 1);
        var wav = Path.Combine(root, "out", "long.wav");
        Assert.Equal(3, inProcess.Extract(source, wav, maxSeconds: 2).Duration!.Value, precision: 3);
        Assert.False(File.Exists(wav));
    }

    [Fact]
    public void What_the_reader_does_not_decode_goes_to_ffmpeg()
    {
        // Six channels: ffmpeg takes the front-centre one (channel 2 of 5.1).
        var channels = Enumerable.Range(0, 6).Select(c => Speechlike(16_000, 1, 10 + c)).ToArray();
        var surround = Path.Combine(root, "surround.wav");
        WavWriter.Write(surround, Enumerable.Range(0, channels[0].Length).SelectMany(t => channels.Select(c => c[t])).ToArray(), 16_000, 6);
        var (ours, theirs) = ExtractBoth(surround);
        Assert.Equal(File.ReadAllBytes(theirs), File.ReadAllBytes(ours));

        // mu-law: not a format WavReader reads; ffmpeg decodes it.
        var mulaw = Path.Combine(root, "mulaw.wav");
        CorpusFiles.Ffmpeg(root, "-i", ours, "-c:a", "pcm_mulaw", mulaw);
        Assert.Equal(ClipExtraction.Done, inProcess.Extract(mulaw, Path.Combine(root, "out", "mulaw.wav"), maxSeconds: 30));

        var garbage = Path.Combine(root, "garbage.wav");
        File.WriteAllText(garbage, "not audio at all");
        Assert.NotNull(inProcess.Extract(garbage, Path.Combine(root, "out", "garbage.wav"), maxSeconds: 30).Problem);
    }
}
