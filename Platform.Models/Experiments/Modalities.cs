namespace EmotionLab.Models.Experiments;

/// <summary>The modality names a spec may give: text only, audio only, or both.</summary>
public static class Modalities
{
    public const string Text = "text";
    public const string Audio = "audio";
    public const string TextAudio = "text+audio";

    public static IReadOnlyList<string> All { get; } = [Text, Audio, TextAudio];

    public static bool UsesText(string modalities) => modalities is Text or TextAudio;

    public static bool UsesAudio(string modalities) => modalities is Audio or TextAudio;
}
