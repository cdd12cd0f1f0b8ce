using System.Buffers.Binary;

namespace EmotionLab.Models.Audio;

/// <summary>
/// Writes RIFF/WAVE files: 16-bit PCM by default (what corpora store), and 24/32-bit PCM or
/// 32-bit float, optionally as WAVE_FORMAT_EXTENSIBLE, so tests can produce every layout
/// <see cref="WavReader"/> accepts. Integer formats clip to [-1, 1] and round to nearest; float is written as is.
/// </summary>
public static class WavWriter
{
    /// <summary>Writes mono 16-bit PCM.</summary>
    public static void WritePcm16(string path, ReadOnlySpan<float> samples, int sampleRate) =>
        Write(path, samples, sampleRate, channels: 1, WavSampleFormat.Pcm16);

    /// <summary>Writes interleaved samples (frame-major) atomically: a crash never leaves a torn file.</summary>
    public static void Write(string path, ReadOnlySpan<float> interleaved, int sampleRate, int channels,
        WavSampleFormat format = WavSampleFormat.Pcm16, bool extensible = false)
    {
        var bytes = Encode(interleaved, sampleRate, channels, format, extensible);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    public static byte[] Encode(ReadOnlySpan<float> interleaved, int sampleRate, int channels,
        WavSampleFormat format = WavSampleFormat.Pcm16, bool extensible = false)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "the sample rate must be positive");
        if (channels is <= 0 or > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(channels), channels, "the channel count must be 1..65535");
        if (interleaved.Length % channels != 0)
            throw new ArgumentException($"{interleaved.Length} samples do not split into whole frames of {channels} channels", nameof(interleaved));
        var (code, bits) = format switch
        {
            WavSampleFormat.Pcm16 => (WavReader.FormatPcm, 16),
            WavSampleFormat.Pcm24 => (WavReader.FormatPcm, 24),
            WavSampleFormat.Pcm32 => (WavReader.FormatPcm, 32),
            WavSampleFormat.Float32 => (WavReader.FormatIeeeFloat, 32),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        var sampleBytes = bits / 8;
        var fmtSize = extensible ? 40 : 16;
        var dataSize = (long)interleaved.Length * sampleBytes;
        if (dataSize + fmtSize + 20 > uint.MaxValue) throw new ArgumentException("more than 4 GiB of samples do not fit a RIFF file", nameof(interleaved));
        var bytes = new byte[12 + 8 + fmtSize + 8 + dataSize + (dataSize & 1)];
        var span = bytes.AsSpan();

        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(bytes.Length - 8));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)fmtSize);
        var fmt = span[20..];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, extensible ? WavReader.FormatExtensible : code);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[2..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[4..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[8..], (uint)(sampleRate * channels * sampleBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[12..], (ushort)(channels * sampleBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[14..], (ushort)bits);
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[16..], 22);           // cbSize
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[18..], (ushort)bits); // valid bits per sample
            BinaryPrimitives.WriteUInt32LittleEndian(fmt[20..], 0);            // channel mask: unspecified
            // Sub-format GUID {0000XXXX-0000-0010-8000-00AA00389B71}, XXXX = the format code.
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[24..], code);
            new byte[] { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 }.CopyTo(fmt[26..]);
        }
        var dataHeader = span[(20 + fmtSize)..];
        "data"u8.CopyTo(dataHeader);
        BinaryPrimitives.WriteUInt32LittleEndian(dataHeader[4..], (uint)dataSize);
        var data = dataHeader[8..];
        for (var i = 0; i < interleaved.Length; i++)
        {
            var x = Math.Clamp(interleaved[i], -1f, 1f);
            switch (format)
            {
                case WavSampleFormat.Pcm16:
                    BinaryPrimitives.WriteInt16LittleEndian(data[(2 * i)..], (short)Math.Clamp(MathF.Round(x * 32768f), short.MinValue, short.MaxValue));
                    break;
                case WavSampleFormat.Pcm24:
                    var v = (int)Math.Clamp(MathF.Round(x * 8388608f), -8388608f, 8388607f);
                    data[3 * i] = (byte)v;
                    data[3 * i + 1] = (byte)(v >> 8);
                    data[3 * i + 2] = (byte)(v >> 16);
                    break;
                case WavSampleFormat.Pcm32:
                    BinaryPrimitives.WriteInt32LittleEndian(data[(4 * i)..], (int)Math.Clamp(Math.Round(x * 2147483648.0), int.MinValue, int.MaxValue));
                    break;
                case WavSampleFormat.Float32:
                    BinaryPrimitives.WriteSingleLittleEndian(data[(4 * i)..], interleaved[i]);
                    break;
            }
        }
        return bytes;
    }
}
