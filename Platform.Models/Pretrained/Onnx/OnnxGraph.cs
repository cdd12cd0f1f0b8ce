using System.Text;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained.Onnx;

/// <summary>An ONNX node: its op and the names of its inputs and outputs.</summary>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

/// <summary>An ONNX initializer: a named constant tensor (float32 or int64 here).</summary>
public sealed record OnnxInitializer(string Name, ScalarType DType, long[] Shape, byte[] Data);

/// <summary>
/// The parts of an ONNX model's graph a weight conversion needs (nodes and initializers), read
/// straight from the protobuf wire format: ModelProto.graph (7) -> GraphProto.node (1) and
/// initializer (5); NodeProto input (1), output (2), op_type (4); TensorProto dims (1),
/// data_type (2), float_data (4), int64_data (7), name (8), raw_data (9). Weights stored outside
/// the file (external data) are not supported.
/// </summary>
public sealed class OnnxGraph
{
    private OnnxGraph(List<OnnxNode> nodes, List<OnnxInitializer> initializers) => (Nodes, Initializers) = (nodes, initializers);

    public IReadOnlyList<OnnxNode> Nodes { get; }

    public IReadOnlyList<OnnxInitializer> Initializers { get; }

    public static OnnxGraph Read(byte[] model)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxInitializer>();
        foreach (var (field, graph) in Fields(model))
        {
            if (field != 7) continue;
            foreach (var (gf, value) in Fields(graph.ToArray()))
            {
                if (gf == 1) nodes.Add(ReadNode(value.Span));
                else if (gf == 5) initializers.Add(ReadTensor(value.Span));
            }
        }
        if (nodes.Count == 0) throw new InvalidDataException("the ONNX file has no graph nodes");
        return new OnnxGraph(nodes, initializers);
    }

    private static OnnxNode ReadNode(ReadOnlySpan<byte> bytes)
    {
        var (inputs, outputs, op) = (new List<string>(), new List<string>(), "");
        foreach (var (field, value) in Fields(bytes.ToArray()))
        {
            if (field == 1) inputs.Add(Encoding.UTF8.GetString(value.Span));
            else if (field == 2) outputs.Add(Encoding.UTF8.GetString(value.Span));
            else if (field == 4) op = Encoding.UTF8.GetString(value.Span);
        }
        return new OnnxNode(op, inputs, outputs);
    }

    private static OnnxInitializer ReadTensor(ReadOnlySpan<byte> bytes)
    {
        var dims = new List<long>();
        var (type, name) = (0, "");
        byte[]? raw = null;
        var floats = new List<float>();
        var longs = new List<long>();
        var reader = new WireReader(bytes.ToArray());
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.Key();
            switch (field, wire)
            {
                case (1, 0): dims.Add((long)reader.Varint()); break;
                case (1, 2): foreach (var v in reader.PackedVarints()) dims.Add((long)v); break;
                case (2, 0): type = (int)reader.Varint(); break;
                case (4, 2): var packed = reader.Bytes(); for (var i = 0; i + 4 <= packed.Length; i += 4) floats.Add(BitConverter.ToSingle(packed.Span[i..])); break;
                case (7, 0): longs.Add((long)reader.Varint()); break;
                case (7, 2): foreach (var v in reader.PackedVarints()) longs.Add((long)v); break;
                case (8, 2): name = Encoding.UTF8.GetString(reader.Bytes().Span); break;
                case (9, 2): raw = reader.Bytes().ToArray(); break;
                case (14, 0):
                    if (reader.Varint() == 1) throw new InvalidDataException("ONNX initializers in external data files are not supported");
                    break;
                default: reader.Skip(wire); break;
            }
        }
        var dtype = type switch
        {
            1 => ScalarType.Float32, 7 => ScalarType.Int64, 6 => ScalarType.Int32, 10 => ScalarType.Float16, 16 => ScalarType.BFloat16,
            _ => throw new InvalidDataException($"ONNX initializer '{name}' has unsupported data_type {type}"),
        };
        raw ??= dtype == ScalarType.Float32 ? floats.SelectMany(BitConverter.GetBytes).ToArray() : longs.SelectMany(BitConverter.GetBytes).ToArray();
        return new OnnxInitializer(name, dtype, dims.ToArray(), raw);
    }

    private static IEnumerable<(int field, ReadOnlyMemory<byte> value)> Fields(byte[] bytes)
    {
        var reader = new WireReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.Key();
            if (wire == 2) yield return (field, reader.Bytes());
            else reader.Skip(wire);
        }
    }

    /// <summary>Protobuf's wire format: varint keys, varints, fixed 32/64-bit and length-delimited values.</summary>
    private sealed class WireReader(byte[] bytes)
    {
        private int position;

        public bool AtEnd => position >= bytes.Length;

        public (int field, int wire) Key()
        {
            var key = Varint();
            return ((int)(key >> 3), (int)(key & 7));
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = bytes[position++];
                result |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return result;
            }
        }

        public ReadOnlyMemory<byte> Bytes()
        {
            var length = checked((int)Varint());
            var value = new ReadOnlyMemory<byte>(bytes, position, length);
            position += length;
            return value;
        }

        public IEnumerable<ulong> PackedVarints()
        {
            var inner = new WireReader(Bytes().ToArray());
            while (!inner.AtEnd) yield return inner.Varint();
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: position += 8; break;
                case 2: Bytes(); break;
                case 5: position += 4; break;
                default: throw new InvalidDataException($"protobuf wire type {wire} is not supported");
            }
        }
    }
}
