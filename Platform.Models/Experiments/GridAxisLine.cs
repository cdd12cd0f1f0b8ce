using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmotionLab.Models.Experiments;

/// <summary>
/// An axis as a researcher types it: <c>field = value, value, ...</c>, e.g.
/// <c>bcaf.layers = 1, 2, 3</c> or <c>modalities = text, audio</c>. A value that reads as JSON
/// (a number, true/false, a quoted string) is that value; anything else is a string. A quoted
/// value may hold commas: <c>eaa.loraTargets = "q_proj,v_proj", "q_proj,k_proj,v_proj,o_proj"</c>.
/// </summary>
public static class GridAxisLine
{
    /// <summary>The axis of one line, or the problem with it (named by its 1-based line number).</summary>
    public static (GridAxis? Axis, SpecProblem? Problem) Parse(string line, int lineNumber)
    {
        var equals = line.IndexOf('=');
        if (equals <= 0)
            return (null, new SpecProblem("axes", $"line {lineNumber}: write an axis as 'field = value, value', e.g. 'learningRate = 1e-4, 3e-4'; got '{line.Trim()}'"));
        var field = line[..equals].Trim();
        var values = SplitValues(line[(equals + 1)..]).Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
        if (values.Length == 0) return (null, new SpecProblem("axes", $"line {lineNumber}: axis '{field}' has no values"));
        return (GridAxis.Over(field, values.Select(ValueOf).ToArray()), null);
    }

    /// <summary>Every non-blank line of a text block as an axis, with all problems.</summary>
    public static (IReadOnlyList<GridAxis> Axes, IReadOnlyList<SpecProblem> Problems) ParseAll(string text)
    {
        var (axes, problems) = (new List<GridAxis>(), new List<SpecProblem>());
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var (axis, problem) = Parse(lines[i], i + 1);
            if (axis is not null) axes.Add(axis);
            if (problem is not null) problems.Add(problem);
        }
        return (axes, problems);
    }

    // Commas outside double quotes separate values (a backslash escapes a quote inside them, as in JSON).
    private static IEnumerable<string> SplitValues(string text)
    {
        var (start, quoted) = (0, false);
        for (var i = 0; i < text.Length; i++)
        {
            if (quoted && text[i] == '\\') i++;
            else if (text[i] == '"') quoted = !quoted;
            else if (text[i] == ',' && !quoted)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static JsonNode ValueOf(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonValue value) return value;
        }
        catch (JsonException)
        {
        }
        return JsonValue.Create(text);
    }
}
