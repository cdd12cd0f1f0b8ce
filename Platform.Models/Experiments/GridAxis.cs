using System.Text.Json.Nodes;

namespace EmotionLab.Models.Experiments;

/// <summary>
/// One axis of an ablation grid: a name and its values. A value sets one or more spec fields
/// (dotted camelCase paths, e.g. "baselines.variant"), so a paper's row such as "audio only" can
/// set the variant and the modalities together.
/// </summary>
public sealed record GridAxis(string Name, IReadOnlyList<GridAxisValue> Values)
{
    /// <summary>The common axis: one field, a list of values, each labelled by its JSON text.</summary>
    public static GridAxis Over(string field, params JsonNode[] values) =>
        new(field, values.Select(v => new GridAxisValue(Label(v), new Dictionary<string, JsonNode?> { [field] = v })).ToList());

    /// <summary>
    /// Leave-one-fold-out over folds 1..<paramref name="count"/> (IEMOCAP's five sessions): each
    /// variant holds one fold out as its test split, and the grid's table reports the mean over folds.
    /// </summary>
    public static GridAxis Folds(int count) =>
        new("fold", Enumerable.Range(1, count).Select(k => new GridAxisValue($"fold {k}", new Dictionary<string, JsonNode?> { ["testFold"] = k })).ToList());

    private static string Label(JsonNode value) => value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value.ToJsonString();
}

/// <summary>One value of an axis: its label in tables and the spec fields it sets.</summary>
public sealed record GridAxisValue(string Label, IReadOnlyDictionary<string, JsonNode?> Settings);
