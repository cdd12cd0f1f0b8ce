using System.Text.Json;

namespace EmotionLab.Web.Compare;

/// <summary>
/// A spec as dotted paths to its values ("optimizer.lr" → "0.0001"), each value
/// as compact JSON. Objects are walked into; an array of plain values stays one value (a list of
/// class weights reads better whole), an array holding objects or arrays is walked by index
/// ("axes[0].field"). An empty object or array is a value of its own.
/// </summary>
public static class SpecPaths
{
    public const string SeedPath = "seed";

    /// <summary>The paths of the spec a run trained with: its experiment's spec with the run's own seed (as the worker builds it).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> OfRun(string specJson, int seed)
    {
        var paths = Flatten(specJson).Where(p => p.Key != SeedPath).ToList();
        paths.Add(KeyValuePair.Create(SeedPath, seed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return paths;
    }

    public static IEnumerable<KeyValuePair<string, string>> Flatten(string json)
    {
        using var document = JsonDocument.Parse(json);
        // Materialised before the document is disposed.
        return Walk(document.RootElement, "").ToList();
    }

    private static IEnumerable<KeyValuePair<string, string>> Walk(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when element.EnumerateObject().Any():
                foreach (var property in element.EnumerateObject())
                    foreach (var leaf in Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}"))
                        yield return leaf;
                break;
            case JsonValueKind.Array when element.EnumerateArray().Any(e => e.ValueKind is JsonValueKind.Object or JsonValueKind.Array):
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    foreach (var leaf in Walk(item, $"{path}[{i++}]"))
                        yield return leaf;
                break;
            default:
                yield return KeyValuePair.Create(path, JsonSerializer.Serialize(element));
                break;
        }
    }
}
