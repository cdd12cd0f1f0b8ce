using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmotionLab.Models.Pretrained;

/// <summary>
/// A model's config.json as Hugging Face writes it: typed reads with the defaults of the
/// architecture's config class (a key the file lacks takes HF's default, as from_pretrained does).
/// </summary>
public sealed class PretrainedConfig
{
    private readonly JsonObject values;

    // Values built in code hold CLR numbers that JsonNode will not convert (an int read as double):
    // a round trip through text makes them JSON numbers like a file's.
    public PretrainedConfig(JsonObject values) => this.values = (JsonObject)JsonNode.Parse(values.ToJsonString())!;

    public static PretrainedConfig Read(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("the top level is not an object"));

    public JsonObject Values => values;

    /// <summary>model_type, e.g. "bert", "hubert", "llama"; empty when absent.</summary>
    public string ModelType => String("model_type", "");

    /// <summary>The architectures list (e.g. ["LlamaForCausalLM"]).</summary>
    public IReadOnlyList<string> Architectures =>
        values["architectures"] is JsonArray a ? a.Select(n => n?.GetValue<string>() ?? "").ToList() : [];

    public bool Has(string key) => values[key] is not null;

    public int Int(string key, int fallback) => (int)Double(key, fallback);

    /// <summary>A number; a value of another kind is a <see cref="JsonException"/> naming the key.</summary>
    public double Double(string key, double fallback) => values[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        var other => throw new JsonException($"{key} must be a number, not {other.ToJsonString()}"),
    };

    public bool Bool(string key, bool fallback) => values[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        var other => throw new JsonException($"{key} must be true or false, not {other.ToJsonString()}"),
    };

    public string String(string key, string fallback) => values[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;

    public int[] Ints(string key, int[] fallback) => values[key] switch
    {
        null => fallback,
        JsonArray a when a.All(n => n is JsonValue v && v.TryGetValue<double>(out _)) => a.Select(n => (int)n!.GetValue<double>()).ToArray(),
        var other => throw new JsonException($"{key} must be a list of numbers, not {other.ToJsonString()}"),
    };

    public JsonObject? Object(string key) => values[key] as JsonObject;

    public void Set(string key, JsonNode? value) => values[key] = value;

    public void Write(string path) =>
        File.WriteAllText(path, values.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
