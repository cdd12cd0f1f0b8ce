namespace EmotionLab.Web.Components.Experiments;

/// <summary>Ids of a form field's elements, from its spec path ("baselines.text.heads" -> "baselines-text-heads"): dots make awkward CSS selectors.</summary>
public static class FormField
{
    public static string InputId(string path) => path.Replace('.', '-');

    public static string ContainerId(string path) => "field-" + InputId(path);
}
