using System.Buffers.Binary;
using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Tests.Audio;

/// <summary>WAV decoding against files written by Python's wave module, round trips and bad files.</summary>
public sealed class WavReaderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("emotionlab-wav-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("wav_pcm16_stereo", 22_050, 2)]
    [InlineData("wav_pcm24_mono", 44_100, 1)]
    [InlineData("wav_pcm8_stereo", 8_000, 2)]
    [InlineData("wav_pcm32_3ch", 16_000, 3)]
    public void Reads_files_written_by_python_wave(string name, int rate, int channels)
    {
        var expected = AudioFixture.Load(name)["samples"];
        var clip = WavReader.Read(AudioFixture.PathOf(name + ".wav"));
        Assert.Equal(rate, clip.SampleRate);
        Assert.Equal(channels, clip.Channels);
        Assert.Equal(100, clip.FrameCount);
        Assert.True(AudioFixture.MaxAbsDiff(expected, clip.Interleaved) <= 1e-7);
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm16, false, 1.0 / 32768)]
    [InlineData(WavSampleFormat.Pcm24, false, 1.0 / 8388608)]
    [InlineData(WavSampleFormat.Pcm32, true, 1e-7)]
    [InlineData(WavSampleFormat.Float32, true, 0)]
    [InlineData(WavSampleFormat.Pcm16, true, 1.0 / 32768)]
    public void Round_trips_every_format_plain_and_extensible(WavSampleFormat format, bool extensible, double tolerance)
    {
        var samples = Signals.Noise(48_000, 0.01, 0.9, seed: 3); // 480 samples = 160 frames of 3 channels
        var path = Path.Combine(folder, $"{format}-{extensible}.wav");
        WavWriter.Write(path, samples, 48_000, channels: 3, format, extensible);
        var clip = WavReader.Read(path);
        Assert.Equal((48_000, 3, 160), (clip.SampleRate, clip.Channels, clip.FrameCount));
        Assert.True(AudioFixture.MaxAbsDiff(samples, clip.Interleaved) <= tolerance / 2 + 1e-9);
    }

    [Fact]
    public void Mixes_down_to_the_mean_of_channels_or_picks_one()
    {
        var path = Path.Combine(folder, "stereo.wav");
        WavWriter.Write(path, [0.5f, -0.25f, 0.25f, 0.75f], 16_000, channels: 2);
        var (mono, rate) = WavReader.ReadMono(path);
        Assert.Equal(16_000, rate);
        Assert.Equal([0.125f, 0.5f], mono);
        Assert.Equal([-0.25f, 0.75f], WavReader.ReadChannel(path, 1).samples);
        var error = Assert.Throws<AudioFormatException>(() => WavReader.ReadChannel(path, 2));
        Assert.Contains("2 channel(s)", error.Message);
    }

    [Fact]
    public void Skips_other_chunks_including_odd_sized_ones()
    {
        var plain = WavWriter.Encode([0.5f, -0.5f], 16_000, 1);
        // Insert an odd-sized LIST chunk (5 bytes + 1 pad byte) between fmt and data.
        var list = new byte[] { (byte)'L', (byte)'I', (byte)'S', (byte)'T', 5, 0, 0, 0, 1, 2, 3, 4, 5, 0 };
        var bytes = plain[..36].Concat(list).Concat(plain[36..]).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        Assert.Equal([0.5f, -0.5f], WavReader.Decode(bytes, "list.wav").Interleaved);
    }

    [Fact]
    public void Bad_files_name_the_file_and_the_problem()
    {
        var good = WavWriter.Encode(Signals.Tone(16_000, 0.01, 440, 0.5), 16_000, 1);

        string Problem(byte[] bytes, string name)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, bytes);
            var error = Assert.Throws<AudioFormatException>(() => WavReader.Read(path));
            Assert.Equal(path, error.Path);
            Assert.StartsWith(path, error.Message);
            return error.Message;
        }

        Assert.Contains("truncated: the data chunk declares 320 bytes but only 100 remain", Problem(good[..144], "cut.wav"));
        Assert.Contains("truncated: 6 bytes", Problem(good[..6], "tiny.wav"));
        Assert.Contains("not a RIFF file", Problem("ID3\u0004 not audio at all"u8.ToArray(), "song.mp3.wav"));

        var adpcm = good.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(adpcm.AsSpan(20), 2);
        Assert.Contains("unsupported format code 0x0002 (Microsoft ADPCM)", Problem(adpcm, "adpcm.wav"));

        var twelveBit = good.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(twelveBit.AsSpan(34), 12);
        Assert.Contains("unsupported sample width: 12-bit PCM", Problem(twelveBit, "twelve.wav"));

        Assert.Contains("no data chunk", Problem(good[..36], "header-only.wav"));
        Assert.Contains("does not exist", Assert.Throws<AudioFormatException>(() => WavReader.Read(Path.Combine(folder, "missing.wav"))).Message);
    }

    [Fact]
    public void A_streamed_data_size_reads_to_the_end_of_the_file()
    {
        var bytes = WavWriter.Encode([0.25f, 0.5f, 0.75f], 16_000, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), uint.MaxValue);
        Assert.Equal(3, WavReader.Decode(bytes, "pipe.wav").FrameCount);
    }
}
