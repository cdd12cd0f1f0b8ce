namespace EmotionLab.Models.Statistics;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny generator that is written the same in any
/// language, so tools/make_prediction_statistics_fixtures.py draws exactly the bootstrap resamples
/// this code draws for a seed, and a stored interval can be recomputed anywhere.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>An index in [0, count): the draw modulo count (the bias is below 1e-15 for any test set).</summary>
    public int NextIndex(int count) => (int)(Next() % (ulong)count);
}
