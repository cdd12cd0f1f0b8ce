using System.Security;

namespace EmotionLab.Models.Corpora.EmoSynth;

/// <summary>
/// How an emotion sounds in espeak-ng: SSML prosody (pitch, pitch range, rate, volume). A flat
/// rendering uses the neutral settings whatever the label, which is how emotional words end up
/// spoken without emotion.
/// </summary>
public sealed record EmotionalProsody(int PitchPercent, string Range, string Rate, string Volume)
{
    public static readonly EmotionalProsody Flat = new(0, "medium", "medium", "medium");

    private static readonly Dictionary<string, EmotionalProsody> ByEmotion = new()
    {
        ["neutral"] = Flat,
        ["joy"] = new(25, "x-high", "fast", "loud"),
        ["surprise"] = new(45, "x-high", "medium", "loud"),
        ["anger"] = new(-5, "high", "fast", "x-loud"),
        ["sadness"] = new(-25, "x-low", "x-slow", "soft"),
        ["fear"] = new(30, "low", "x-fast", "soft"),
        ["disgust"] = new(-20, "low", "slow", "medium"),
    };

    public static EmotionalProsody For(string emotion) => ByEmotion[emotion];

    /// <summary>The SSML document espeak-ng speaks (-m), with the speaker's own pitch added.</summary>
    public string Ssml(string text, int speakerPitchPercent)
    {
        var pitch = PitchPercent + speakerPitchPercent;
        return $"<speak><prosody pitch=\"{(pitch >= 0 ? "+" : "")}{pitch}%\" range=\"{Range}\" rate=\"{Rate}\" volume=\"{Volume}\">{SecurityElement.Escape(text)}</prosody></speak>";
    }
}
