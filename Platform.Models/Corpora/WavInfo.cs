using System.Buffers.Binary;

namespace EmotionLab.Models.Corpora;

/// <summary>The format of a PCM wav file, read from its RIFF header without decoding samples.</summary>
public sealed record WavInfo(int SampleRate, int Channels, int BitsPerSample, long DataBytes)
{
    public long Frames => DataBytes / Math.Max(1, Channels * BitsPerSample / 8);
    public double Duration => (double)Frames / SampleRate;

    /// <summary>Reads the header; null with a reason when the file is not a readable PCM wav.</summary>
    public static WavInfo? TryRead(string path, out string? problem)
    {
        problem = null;
        try
        {
            using var f = File.OpenRead(path);
            var head = new byte[12];
            if (f.Read(head, 0, 12) < 12 || head.AsSpan(0, 4).SequenceEqual("RIFF"u8) == false || head.AsSpan(8, 4).SequenceEqual("WAVE"u8) == false)
            {
                problem = "not a RIFF/WAVE file";
                return null;
            }
            int? rate = null, channels = null, bits = null;
            var chunk = new byte[8];
            while (f.Read(chunk, 0, 8) == 8)
            {
                var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(4));
                if (chunk.AsSpan(0, 4).SequenceEqual("fmt "u8))
                {
                    var fmt = new byte[Math.Max(16, size)];
                    if (f.Read(fmt, 0, (int)size) < 16) break;
                    channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(2));
                    rate = BinaryPrimitives.ReadInt32LittleEndian(fmt.AsSpan(4));
                    bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(14));
                    if (size % 2 == 1) f.Seek(1, SeekOrigin.Current);
                }
                else if (chunk.AsSpan(0, 4).SequenceEqual("data"u8))
                {
                    if (rate is null || channels is null || bits is null) break;
                    // Streams written by a pipe leave 0 or 0xFFFFFFFF here; the file length is the truth then.
                    var available = f.Length - f.Position;
                    var data = size == 0 || size > available ? available : size;
                    return new WavInfo(rate.Value, channels.Value, bits.Value, data);
                }
                else f.Seek(size + size % 2, SeekOrigin.Current);
            }
            problem = "no fmt and data chunks";
            return null;
        }
        catch (IOException e)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>Root mean square of a PCM16 file's samples (0 for digital silence, about 0.35 for a full-scale sine at half amplitude).</summary>
    public static double Pcm16Rms(string path)
    {
        var info = TryRead(path, out var problem) ?? throw new InvalidDataException($"{path}: {problem}");
        if (info.BitsPerSample != 16) throw new InvalidDataException($"{path}: {info.BitsPerSample}-bit, not PCM16");
        var bytes = File.ReadAllBytes(path);
        var start = bytes.Length - (int)info.DataBytes;
        double sum = 0;
        var n = (int)(info.DataBytes / 2);
        for (var i = 0; i < n; i++)
        {
            double s = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(start + 2 * i)) / 32768.0;
            sum += s * s;
        }
        return n == 0 ? 0 : Math.Sqrt(sum / n);
    }
}
