using System.Globalization;

namespace EmotionLab.Worker.Grids;

/// <summary>Scores as papers print them: percent with two decimals, deltas as signed percentage points.</summary>
public static class PaperNumbers
{
    public static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>"+1.25", "-0.40"; a delta that rounds to zero prints "0.00" rather than a signed zero.</summary>
    public static string SignedPoints(double fraction) => (fraction * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
}
