using System.Globalization;

namespace EmotionLab.Web.Components;

/// <summary>How the pages write times, scores and durations.</summary>
public static class Format
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";

    public static string Score(double? score) => score is { } s ? s.ToString("0.0000", CultureInfo.InvariantCulture) : "";

    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Age(TimeSpan age) => age.TotalSeconds < 120
        ? $"{Math.Max(0, (int)age.TotalSeconds)} s"
        : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes} min" : $"{(int)age.TotalHours} h";
}
