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

    public PretrainedConfig(JsonObject values) => this.values = values;

    public static PretrainedConfig Read(string path) =>
        new(JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("the top level is not an object"));

    public JsonObject Values => values;

    /// <summary>model_type, e.g. "bert", "hubert", "llama"; empty when absent.</summary>
    public string ModelType => String("model_type", "");

    /// <summary>The architectures list (e.g. ["LlamaForCausalLM"]).</summary>
    public IReadOnlyList<string> Architectures =>
        values["architectures"] is JsonArray a ? a.Select(n => n?.GetValue<string>() ?? "").ToList() : [];

    public bool Has(string key) => values[key] is not null;

    public int Int(string key, int fallback) => values[key] is JsonValue v ? (int)v.GetValue<double>() : fallback;

    public double Double(string key, double fallback) => values[key] is JsonValue v ? v.GetValue<double>() : fallback;

    public bool Bool(string key, bool fallback) => values[key] is JsonValue v ? v.GetValue<bool>() : fallback;

    public string String(string key, string fallback) => values[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;

    public int[] Ints(string key, int[] fallback) =>
        values[key] is JsonArray a ? a.Select(n => (int)n!.GetValue<double>()).ToArray() : fallback;

    public JsonObject? Object(string key) => values[key] as JsonObject;

    public void Set(string key, JsonNode? value) => values[key] = value;

    public void Write(string path) =>
        File.WriteAllText(path, values.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
