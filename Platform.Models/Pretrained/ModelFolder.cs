using System.Text.Json;

namespace EmotionLab.Models.Pretrained;

/// <summary>
/// A model folder as Hugging Face writes it: config.json, the weights as model.safetensors or
/// as shards listed by model.safetensors.index.json, and the tokenizer files. Opening checks what
/// is there and reports every problem at once; nothing is loaded yet.
/// </summary>
public sealed class ModelFolder
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string ShardIndexFile = "model.safetensors.index.json";

    private ModelFolder(string path, PretrainedConfig config, IReadOnlyDictionary<string, string> shardOf, TokenizerKind tokenizer)
    {
        (Path, Config, ShardOf, Tokenizer) = (path, config, shardOf, tokenizer);
    }

    public string Path { get; }

    public PretrainedConfig Config { get; }

    /// <summary>The weight file (relative to the folder) of every tensor name, for sharded folders; empty for one model.safetensors.</summary>
    public IReadOnlyDictionary<string, string> ShardOf { get; }

    /// <summary>The weight files, relative to the folder.</summary>
    public IReadOnlyList<string> WeightFiles => ShardOf.Count == 0 ? [WeightsFile] : ShardOf.Values.Distinct().Order(StringComparer.Ordinal).ToList();

    public TokenizerKind Tokenizer { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// The folder a spec names: an absolute path as it is, anything else under ARTIFACTS/models/
    /// (so specs stay portable between nodes sharing the artifact mount).
    /// </summary>
    public static string Resolve(string model, string artifactRoot) =>
        System.IO.Path.IsPathRooted(model) ? model : System.IO.Path.GetFullPath(System.IO.Path.Combine(artifactRoot, "models", model));

    /// <summary>
    /// A hash of what decides the weights and the tokenizer: config.json, the tokenizer files, and
    /// each weight file's length, safetensors header and 16 samples of 64 KiB spread over its
    /// tensor data. Cheap for a checkpoint of many gigabytes, the same for a copy in another
    /// folder, and different when a file is replaced by one with other values (fine-tuning changes
    /// nearly every weight, so the samples see it).
    /// </summary>
    public string Fingerprint()
    {
        const int Samples = 16, SampleBytes = 64 * 1024;
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var name in new[] { ConfigFile, "tokenizer.json", "vocab.txt", "vocab.json", "merges.txt", "tokenizer.model", "tokenizer_config.json", "preprocessor_config.json" })
            if (System.IO.File.Exists(File(name))) { Add(name); hash.AppendData(System.IO.File.ReadAllBytes(File(name))); }
        var length = new byte[8];
        var sample = new byte[SampleBytes];
        foreach (var name in WeightFiles)
        {
            using var stream = System.IO.File.OpenRead(File(name));
            stream.ReadExactly(length);
            var header = new byte[Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(length), (ulong)stream.Length - 8)];
            stream.ReadExactly(header);
            Add($"{name} {stream.Length}");
            hash.AppendData(header);
            var (start, data) = (stream.Position, stream.Length - stream.Position);
            for (var i = 0; i < Samples && data > 0; i++)
            {
                stream.Position = start + data * i / Samples;
                hash.AppendData(sample, 0, stream.Read(sample, 0, (int)Math.Min(SampleBytes, stream.Length - stream.Position)));
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>Opens the folder, or throws <see cref="ModelFolderException"/> listing every problem and its remedy.</summary>
    public static ModelFolder Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(path)) throw new ModelFolderException(path, ["the folder does not exist"]);
        var problems = new List<string>();

        PretrainedConfig? config = null;
        var configPath = System.IO.Path.Combine(path, ConfigFile);
        var checkpoints = Directory.EnumerateFiles(path, "*.pt").Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (!System.IO.File.Exists(configPath) && checkpoints.Count > 0)
        {
            // A released BEATs checkpoint (BEATs_iter3.pt): a pickle with its config inside.
            throw new ModelFolderException(path, [$"a PyTorch checkpoint ({string.Join(", ", checkpoints)}) and no {ConfigFile}: a BEATs checkpoint converts once with " +
                $"`python3 tools/convert_beats_checkpoint.py {System.IO.Path.Combine(path, checkpoints[0])} {path}` (pickles can run code, so they are not read here)"]);
        }
        if (!System.IO.File.Exists(configPath)) problems.Add($"no {ConfigFile} (save the model with save_pretrained, which writes it)");
        else
        {
            try { config = PretrainedConfig.Read(configPath); }
            catch (JsonException e) { problems.Add($"{ConfigFile} is not valid JSON ({e.Message})"); }
        }

        var shardOf = new Dictionary<string, string>();
        var single = System.IO.Path.Combine(path, WeightsFile);
        var index = System.IO.Path.Combine(path, ShardIndexFile);
        if (System.IO.File.Exists(index)) ReadShardIndex(path, index, shardOf, problems);
        else if (!System.IO.File.Exists(single))
        {
            var pickled = Directory.EnumerateFiles(path, "pytorch_model*.bin").Select(System.IO.Path.GetFileName).ToList();
            problems.Add(pickled.Count > 0
                ? $"only PyTorch pickles ({string.Join(", ", pickled)}), no {WeightsFile}: convert them once in Python with " +
                  "`AutoModel.from_pretrained(DIR).save_pretrained(DIR, safe_serialization=True)` (pickles can run code, so they are not read here)"
                : $"no {WeightsFile} and no {ShardIndexFile}");
        }

        if (problems.Count > 0) throw new ModelFolderException(path, problems);
        return new ModelFolder(path, config!, shardOf, DetectTokenizer(path));
    }

    private static void ReadShardIndex(string folder, string index, Dictionary<string, string> shardOf, List<string> problems)
    {
        try
        {
            using var document = JsonDocument.Parse(System.IO.File.ReadAllText(index));
            if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{ShardIndexFile} has no weight_map");
                return;
            }
            foreach (var entry in map.EnumerateObject()) shardOf[entry.Name] = entry.Value.GetString() ?? "";
        }
        catch (JsonException e)
        {
            problems.Add($"{ShardIndexFile} is not valid JSON ({e.Message})");
            return;
        }
        foreach (var shard in shardOf.Values.Distinct().Order(StringComparer.Ordinal))
            if (!System.IO.File.Exists(System.IO.Path.Combine(folder, shard)))
                problems.Add($"shard {shard} listed in {ShardIndexFile} is missing (copy it into the folder)");
    }

    private static TokenizerKind DetectTokenizer(string path)
    {
        bool Has(string name) => System.IO.File.Exists(System.IO.Path.Combine(path, name));
        if (Has("tokenizer.json")) return TokenizerKind.TokenizerJson;
        if (Has("vocab.json") && Has("merges.txt")) return TokenizerKind.ByteLevelBpe;
        if (Has("vocab.txt")) return TokenizerKind.WordPiece;
        if (Has("tokenizer.model")) return TokenizerKind.SentencePiece;
        return TokenizerKind.None;
    }
}
