namespace EmotionLab.Models.Corpora;

/// <summary>
/// Older MELD copies hold C1 control characters (U+0080..U+009F) where cp1252 punctuation was
/// meant, e.g. U+0092 for ’. They never occur in real text, so each is mapped to its cp1252
/// character; the five code points cp1252 leaves undefined stay as they are.
/// </summary>
public static class Cp1252Repair
{
    private static readonly char[] Cp1252 =
    [
        '\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
        '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
        '\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
        '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
    ];

    public static string Fix(string s)
    {
        if (!s.Any(c => c is >= '\u0080' and <= '\u009F')) return s;
        return string.Create(s.Length, s, (span, src) =>
        {
            for (var i = 0; i < src.Length; i++)
                span[i] = src[i] is >= '\u0080' and <= '\u009F' ? Cp1252[src[i] - 0x80] : src[i];
        });
    }
}
