using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text.Json;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>One tensor's place in a safetensors file.</summary>
public sealed record SafetensorsEntry(string Name, ScalarType DType, long[] Shape, long Start, long Length);

/// <summary>
/// A safetensors file opened for reading tensor by tensor through a memory map: a checkpoint of
/// many gigabytes is never read into managed memory, and each tensor is copied once, from the
/// mapped pages into its libtorch storage.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private static readonly Dictionary<string, ScalarType> DTypes = new()
    {
        ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16, ["F64"] = ScalarType.Float64,
        ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32, ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    private readonly MemoryMappedFile? map;
    private readonly MemoryMappedViewAccessor? view;

    private SafetensorsFile(string path, Dictionary<string, SafetensorsEntry> entries, MemoryMappedFile? map, MemoryMappedViewAccessor? view)
    {
        (Path, Entries, this.map, this.view) = (path, entries, map, view);
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }

    /// <summary>Reads the header and maps the file; a malformed header names the file and what is wrong.</summary>
    public static SafetensorsFile Open(string path)
    {
        long fileLength;
        byte[] header;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            fileLength = stream.Length;
            Span<byte> lengthBytes = stackalloc byte[8];
            if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
                throw new TorchException($"{path}: {fileLength} bytes is too short for a safetensors header (is the file complete?)");
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (headerLength > (ulong)(fileLength - 8) || headerLength > int.MaxValue)
                throw new TorchException($"{path}: the safetensors header length {headerLength} exceeds the file ({fileLength} bytes); the file is truncated or not safetensors");
            header = new byte[headerLength];
            stream.ReadExactly(header);
        }
        var dataStart = 8L + header.Length;
        var entries = new Dictionary<string, SafetensorsEntry>();
        try
        {
            using var document = JsonDocument.Parse(header);
            foreach (var item in document.RootElement.EnumerateObject())
            {
                if (item.Name == "__metadata__") continue;
                var code = item.Value.GetProperty("dtype").GetString() ?? "";
                if (!DTypes.TryGetValue(code, out var dtype)) throw new TorchException($"{path}: '{item.Name}' has unsupported dtype {code}");
                var shape = item.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = item.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var expected = shape.Aggregate(1L, (a, b) => a * b) * dtype.ElementSize();
                if (offsets.Length != 2 || offsets[1] - offsets[0] != expected || dataStart + offsets[1] > fileLength)
                    throw new TorchException($"{path}: '{item.Name}' has data_offsets [{string.Join(", ", offsets)}] that do not fit shape [{string.Join(", ", shape)}] {code} in a file of {fileLength} bytes (truncated download?)");
                entries[item.Name] = new SafetensorsEntry(item.Name, dtype, shape, dataStart + offsets[0], expected);
            }
        }
        catch (JsonException e) { throw new TorchException($"{path}: the safetensors header is not valid JSON ({e.Message})"); }
        catch (KeyNotFoundException) { throw new TorchException($"{path}: a safetensors header entry lacks dtype, shape or data_offsets"); }

        if (fileLength == dataStart) return new SafetensorsFile(path, entries, null, null);
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        return new SafetensorsFile(path, entries, map, map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read));
    }

    /// <summary>The named tensor, copied from the mapped file into a new tensor of its stored dtype.</summary>
    public unsafe Tensor Read(string name, Device? device = null)
    {
        if (!Entries.TryGetValue(name, out var entry)) throw new TorchException($"{Path}: no tensor '{name}'");
        if (entry.Length == 0 || view is null) return torch.empty(entry.Shape, entry.DType, device);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            var bytes = new ReadOnlySpan<byte>(pointer + view.PointerOffset + entry.Start, checked((int)Math.Min(entry.Length, int.MaxValue)));
            if (entry.Length > int.MaxValue) throw new TorchException($"{Path}: '{name}' is {entry.Length} bytes; tensors over 2 GiB are not supported");
            return torch.from_bytes(bytes, entry.DType, entry.Shape, device);
        }
        finally { view.SafeMemoryMappedViewHandle.ReleasePointer(); }
    }

    public void Dispose()
    {
        view?.Dispose();
        map?.Dispose();
    }
}
