namespace EmotionLab.Models.Corpora.EmoSynth;

/// <summary>A speaker of EmoSynth: a name and an espeak-ng voice with its own pitch, so voices are distinct.</summary>
public sealed record Character(string Name, string Voice, int PitchOffsetPercent);

public static class Cast
{
    public static readonly Character[] Characters =
    [
        new("Alex", "en-us+m1", 0), new("Blair", "en-us+f2", 5), new("Casey", "en-us+m3", -10), new("Dana", "en-us+f4", -5),
        new("Ellis", "en-us+m5", 10), new("Frankie", "en-us+f1", 15), new("Gray", "en-us+m7", -15), new("Harper", "en-us+f5", 0),
    ];
}
