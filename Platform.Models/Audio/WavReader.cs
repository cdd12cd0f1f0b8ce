using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace EmotionLab.Models.Audio;

/// <summary>
/// Reads RIFF/WAVE files in managed code: integer PCM of 8 (unsigned), 16, 24 and 32 bits, IEEE
/// float of 32 and 64 bits, plain or WAVE_FORMAT_EXTENSIBLE, any sample rate and channel count.
/// Chunks other than "fmt " and "data" (LIST, fact, cue...) are skipped. Anything else throws an
/// <see cref="AudioFormatException"/> that names the file and the problem.
/// </summary>
public static class WavReader
{
    public const ushort FormatPcm = 1;
    public const ushort FormatIeeeFloat = 3;
    public const ushort FormatExtensible = 0xFFFE;

    /// <summary>A data chunk size of 0xFFFFFFFF is what streaming writers (ffmpeg to a pipe) leave: read to the end.</summary>
    private const uint StreamedDataSize = uint.MaxValue;

    public static AudioClip Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new AudioFormatException(path, "the file does not exist"); }
        catch (DirectoryNotFoundException) { throw new AudioFormatException(path, "the folder does not exist"); }
        return Decode(bytes, path);
    }

    /// <summary>Reads the file and mixes it down to mono (the mean of the channels).</summary>
    public static (float[] samples, int sampleRate) ReadMono(string path)
    {
        var clip = Read(path);
        return (clip.Mono(), clip.SampleRate);
    }

    /// <summary>Reads the file and keeps one channel (0-based).</summary>
    public static (float[] samples, int sampleRate) ReadChannel(string path, int channel)
    {
        var clip = Read(path);
        if (channel < 0 || channel >= clip.Channels)
            throw new AudioFormatException(path, $"channel {channel} was asked for but the file has {clip.Channels} channel(s)");
        return (clip.Channel(channel), clip.SampleRate);
    }

    /// <summary>Decodes a whole WAV file held in memory; <paramref name="name"/> is used in error messages.</summary>
    public static AudioClip Decode(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 12) throw new AudioFormatException(name, $"truncated: {bytes.Length} bytes, a RIFF/WAVE header needs 12");
        var riff = Encoding.ASCII.GetString(bytes[..4]);
        if (riff != "RIFF")
            throw new AudioFormatException(name, riff == "RF64" ? "RF64 (WAV over 4 GiB) is not supported" : $"not a RIFF file (it starts with {Printable(bytes[..4])})");
        if (Encoding.ASCII.GetString(bytes[8..12]) != "WAVE")
            throw new AudioFormatException(name, $"a RIFF file but not WAVE (form type {Printable(bytes[8..12])})");

        Format? format = null;
        var position = 12;
        while (position + 8 <= bytes.Length)
        {
            var id = Encoding.ASCII.GetString(bytes.Slice(position, 4));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(position + 4)..]);
            var body = position + 8;
            var remaining = bytes.Length - body;
            if (id == "fmt ")
            {
                if (size > remaining) throw new AudioFormatException(name, $"truncated: the fmt chunk declares {size} bytes but {remaining} remain");
                format = ParseFormat(bytes.Slice(body, (int)size), name);
            }
            else if (id == "data")
            {
                if (format is null) throw new AudioFormatException(name, "the data chunk comes before any fmt chunk");
                int length;
                if (size == StreamedDataSize) length = remaining - remaining % format.BlockAlign;
                else if (size > remaining) throw new AudioFormatException(name, $"truncated: the data chunk declares {size} bytes but only {remaining} remain");
                else length = (int)size;
                if (length % format.BlockAlign != 0)
                    throw new AudioFormatException(name, $"truncated: the data chunk holds {length} bytes, not a whole number of {format.BlockAlign}-byte frames");
                return new AudioClip(DecodeSamples(bytes.Slice(body, length), format), format.SampleRate, format.Channels);
            }
            if (size > remaining) throw new AudioFormatException(name, $"truncated: the '{id}' chunk declares {size} bytes but only {remaining} remain, and no data chunk came before it");
            position = body + (int)size + (int)(size & 1); // chunks are padded to an even size
        }
        throw new AudioFormatException(name, format is null ? "truncated or malformed: no fmt chunk found" : "truncated or malformed: no data chunk found");
    }

    private sealed record Format(ushort Code, int Channels, int SampleRate, int BlockAlign, int BitsPerSample);

    private static Format ParseFormat(ReadOnlySpan<byte> chunk, string name)
    {
        if (chunk.Length < 16) throw new AudioFormatException(name, $"truncated: the fmt chunk has {chunk.Length} bytes, at least 16 are needed");
        var code = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
        var sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[12..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);
        if (code == FormatExtensible)
        {
            // WAVEFORMATEXTENSIBLE: cbSize, valid bits, channel mask, then the sub-format GUID
            // whose first two bytes are the real format code.
            if (chunk.Length < 40) throw new AudioFormatException(name, $"WAVE_FORMAT_EXTENSIBLE needs a 40-byte fmt chunk, this one has {chunk.Length}");
            code = BinaryPrimitives.ReadUInt16LittleEndian(chunk[24..]);
        }
        if (channels == 0) throw new AudioFormatException(name, "the fmt chunk declares 0 channels");
        if (sampleRate == 0 || sampleRate > int.MaxValue) throw new AudioFormatException(name, $"the fmt chunk declares a sample rate of {sampleRate} Hz");
        var supported = code switch
        {
            FormatPcm => bits is 8 or 16 or 24 or 32,
            FormatIeeeFloat => bits is 32 or 64,
            _ => throw new AudioFormatException(name, $"unsupported format code 0x{code:X4} ({FormatName(code)}); only PCM (1), IEEE float (3) and WAVE_FORMAT_EXTENSIBLE of those are read — convert it with ffmpeg -c:a pcm_s16le"),
        };
        if (!supported) throw new AudioFormatException(name, $"unsupported sample width: {bits}-bit {(code == FormatPcm ? "PCM" : "IEEE float")}");
        if (blockAlign != channels * (bits / 8))
            throw new AudioFormatException(name, $"inconsistent fmt chunk: block align {blockAlign} for {channels} channel(s) of {bits} bits");
        return new Format(code, channels, (int)sampleRate, blockAlign, bits);
    }

    private static float[] DecodeSamples(ReadOnlySpan<byte> data, Format format)
    {
        var count = data.Length / (format.BitsPerSample / 8);
        var samples = new float[count];
        switch (format.Code, format.BitsPerSample)
        {
            case (FormatPcm, 8):
                for (var i = 0; i < count; i++) samples[i] = (data[i] - 128) / 128f; // 8-bit WAV is unsigned
                break;
            case (FormatPcm, 16):
                if (BitConverter.IsLittleEndian)
                {
                    var pcm = MemoryMarshal.Cast<byte, short>(data);
                    for (var i = 0; i < count; i++) samples[i] = pcm[i] * (1f / 32768f);
                }
                else for (var i = 0; i < count; i++) samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]) * (1f / 32768f);
                break;
            case (FormatPcm, 24):
                for (var i = 0; i < count; i++)
                {
                    // Little-endian 3 bytes into the top of an int, then an arithmetic shift sign-extends.
                    var value = (data[3 * i] << 8 | data[3 * i + 1] << 16 | data[3 * i + 2] << 24) >> 8;
                    samples[i] = value * (1f / 8388608f);
                }
                break;
            case (FormatPcm, 32):
                for (var i = 0; i < count; i++) samples[i] = (float)(BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]) * (1.0 / 2147483648.0));
                break;
            case (FormatIeeeFloat, 32):
                for (var i = 0; i < count; i++) samples[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
                break;
            case (FormatIeeeFloat, 64):
                for (var i = 0; i < count; i++) samples[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]);
                break;
        }
        return samples;
    }

    private static string FormatName(ushort code) => code switch
    {
        2 => "Microsoft ADPCM",
        6 => "A-law",
        7 => "mu-law",
        0x11 => "IMA ADPCM",
        0x55 => "MPEG layer 3",
        _ => "unknown",
    };

    private static string Printable(ReadOnlySpan<byte> tag)
    {
        var text = new StringBuilder("'");
        foreach (var b in tag) text.Append(b is >= 32 and < 127 ? (char)b : '?');
        return text.Append('\'').ToString();
    }
}
