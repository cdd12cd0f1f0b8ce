using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Web.Components.Experiments;

/// <summary>How a form input's text becomes a spec value.</summary>
public enum SpecValueKind { Text, WholeNumber, Number, Switch }

/// <summary>
/// One value of a spec as the New experiment form edits it: its JSON path (the input's name, and
/// the Field of the validator's problems, so a message lands next to its input), its kind, and
/// its value as text. A text or whole-number value the spec leaves unset (a model folder not
/// chosen yet, no test fold) is an empty input, and an input left empty leaves it unset again.
/// </summary>
public sealed record SpecFormField(string Path, SpecValueKind Kind, string Text, bool Optional = false)
{
    // The spec's JSON settings (names, ignored nulls) with a resolver, so its contract can be read.
    private static readonly JsonSerializerOptions Contract = new(ExperimentSpecJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>
    /// Every value a spec sets, walked through the spec's own JSON contract (names exactly as the
    /// JSON and the validator spell them). Configs left null, such as other families', are skipped;
    /// text and whole-number values left null are optional inputs.
    /// </summary>
    public static IReadOnlyList<SpecFormField> Of(ExperimentSpec spec)
    {
        var fields = new List<SpecFormField>();
        Walk(spec, typeof(ExperimentSpec), "", fields);
        return fields;
    }

    private static void Walk(object value, Type type, string prefix, List<SpecFormField> fields)
    {
        foreach (var property in Contract.GetTypeInfo(type).Properties)
        {
            var path = prefix + property.Name;
            var clr = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (property.Get?.Invoke(value) is not { } child)
            {
                if (clr == typeof(string) || clr == typeof(int)) fields.Add(new SpecFormField(path, KindOf(clr)!.Value, "", Optional: true));
                continue;
            }
            if (KindOf(clr) is { } kind) fields.Add(new SpecFormField(path, kind, TextOf(child)));
            else if (Contract.GetTypeInfo(clr).Kind == JsonTypeInfoKind.Object) Walk(child, clr, path + ".", fields);
            // A list or dictionary needs an input of its own; a family that adds one renders it and extends this walk.
            else throw new NotSupportedException($"the New experiment form has no input for '{path}' ({clr.Name})");
        }
    }

    private static SpecValueKind? KindOf(Type type) =>
        type == typeof(string) ? SpecValueKind.Text
        : type == typeof(int) ? SpecValueKind.WholeNumber
        : type == typeof(double) || type == typeof(float) ? SpecValueKind.Number
        : type == typeof(bool) ? SpecValueKind.Switch
        : null;

    private static string TextOf(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
