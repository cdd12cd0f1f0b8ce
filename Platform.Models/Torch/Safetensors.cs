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

    /// <summary>Reads every tensor (onto the device) and the metadata. Errors name the file and the entry.</summary>
    public static (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) Load(string path, Device? device = null)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new TorchException($"safetensors {path}: {bytes.Length} bytes is too short for a header");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8)) throw new TorchException($"safetensors {path}: header length {headerLength} exceeds the file");
        var dataStart = 8 + (int)headerLength;
        JsonDocument document;
        try { document = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength)); }
        catch (JsonException e) { throw new TorchException($"safetensors {path}: the header is not valid JSON ({e.Message})"); }

        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
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
                if (offsets.Length != 2 || offsets[1] - offsets[0] != expected || dataStart + offsets[1] > bytes.Length)
                    throw new TorchException($"safetensors {path}: '{entry.Name}' has data_offsets [{string.Join(", ", offsets)}] that do not fit shape [{string.Join(", ", shape)}] {code} in a file of {bytes.Length} bytes");
                tensors[entry.Name] = torch.from_bytes(bytes.AsSpan(dataStart + (int)offsets[0], (int)expected), dtype.Key, shape, device).DetachFromDisposeScope();
            }
        }
        return (tensors, metadata);
    }
}
