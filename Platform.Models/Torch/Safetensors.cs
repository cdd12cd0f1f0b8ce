using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace EmotionLab.Models.Torch;

/// <summary>
/// The Hugging Face safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping each name to {dtype, shape, data_offsets} (plus an optional "__metadata__" map of
/// strings), then the raw little-endian tensor bytes. Used for our checkpoints and to read HF ones.
/// </summary>
public static class Safetensors
{
    private static readonly Dictionary<ScalarType, string> Codes = new()
    {
        [ScalarType.Float32] = "F32", [ScalarType.Float16] = "F16", [ScalarType.BFloat16] = "BF16", [ScalarType.Float64] = "F64",
        [ScalarType.Int64] = "I64", [ScalarType.Int32] = "I32", [ScalarType.Int16] = "I16", [ScalarType.Int8] = "I8",
        [ScalarType.Byte] = "U8", [ScalarType.Bool] = "BOOL",
    };

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, t) in tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!Codes.TryGetValue(t.dtype, out var code)) throw new TorchException($"safetensors: '{name}' has unsupported dtype {t.dtype.Name()}");
            var bytes = t.bytes();
            header[name] = new { dtype = code, shape = t.shape, data_offsets = new[] { offset, offset + bytes.Length } };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8; // keep the data 8-byte aligned, padding with spaces
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (var i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var blob in blobs) stream.Write(blob);
        }
        File.Move(temporary, path, overwrite: true); // a crash mid-save never leaves a torn checkpoint
    }

    /// <summary>
    /// Reads every tensor (onto the device) and the metadata. The file is read tensor by tensor,
    /// so checkpoints larger than memory-friendly single arrays load. Errors name the file and the entry.
    /// </summary>
    public static (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) Load(string path, Device? device = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8) throw new TorchException($"safetensors {path}: {stream.Length} bytes is too short for a header");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(stream.Length - 8) || headerLength > int.MaxValue) throw new TorchException($"safetensors {path}: header length {headerLength} exceeds the file");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;
        JsonDocument document;
        try { document = JsonDocument.Parse(header); }
        catch (JsonException e) { throw new TorchException($"safetensors {path}: the header is not valid JSON ({e.Message})"); }

        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using (document)
            {
                foreach (var entry in document.RootElement.EnumerateObject())
                {
                    if (entry.Name == "__metadata__")
                    {
                        foreach (var m in entry.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                        continue;
                    }
                    var code = entry.Value.GetProperty("dtype").GetString();
                    var dtype = Codes.FirstOrDefault(kv => kv.Value == code);
                    if (dtype.Value is null) throw new TorchException($"safetensors {path}: '{entry.Name}' has unsupported dtype {code}");
                    var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                    var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                    var expected = shape.Aggregate(1L, (a, b) => a * b) * dtype.Key.ElementSize();
                    if (offsets.Length != 2 || offsets[1] - offsets[0] != expected || dataStart + offsets[1] > stream.Length)
                        throw new TorchException($"safetensors {path}: '{entry.Name}' has data_offsets [{string.Join(", ", offsets)}] that do not fit shape [{string.Join(", ", shape)}] {code} in a file of {stream.Length} bytes");
                    var data = new byte[expected];
                    stream.Position = dataStart + offsets[0];
                    stream.ReadExactly(data);
                    tensors[entry.Name] = torch.from_bytes(data, dtype.Key, shape, device).DetachFromDisposeScope();
                }
            }
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return (tensors, metadata);
    }
}
