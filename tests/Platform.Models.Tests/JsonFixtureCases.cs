using System.Text.Json;

namespace EmotionLab.Models.Tests;

/// <summary>The "cases" array of a JSON fixture written by a tools/ script, by case name.</summary>
internal sealed class JsonFixtureCases
{
    private readonly JsonElement[] cases;

    public JsonFixtureCases(params string[] relativePath)
    {
        var path = Path.Combine([AppContext.BaseDirectory, "Fixtures", .. relativePath]);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        cases = document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    }

    public IEnumerable<string> Names => cases.Select(c => c.GetProperty("name").GetString()!);

    public JsonElement this[string name] => cases.Single(c => c.GetProperty("name").GetString() == name);

    public static long[] Longs(JsonElement c, string key) => c.GetProperty(key).EnumerateArray().Select(v => v.GetInt64()).ToArray();

    public static double[] Doubles(JsonElement c, string key) => c.GetProperty(key).EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
