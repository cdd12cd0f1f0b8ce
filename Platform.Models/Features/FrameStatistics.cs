using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Features;

/// <summary>Per-dimension mean and population standard deviation of feature frames (train split), for standardising log-mel inputs.</summary>
public static class FrameStatistics
{
    /// <summary>Over every frame of <paramref name="train"/>; the deviation is floored at 1e-3 so a constant dimension does not blow up.</summary>
    public static (float[] Mean, float[] Std) Compute(IEnumerable<FeatureMatrix> train, int dimensions)
    {
        var (sum, square) = (new double[dimensions], new double[dimensions]);
        long frames = 0;
        foreach (var m in train)
        {
            for (var f = 0; f < m.Frames; f++)
            {
                var row = m.Row(f);
                for (var d = 0; d < dimensions; d++) (sum[d], square[d]) = (sum[d] + row[d], square[d] + (double)row[d] * row[d]);
            }
            frames += m.Frames;
        }
        frames = Math.Max(1, frames);
        var mean = sum.Select(s => s / frames).ToArray();
        return (mean.Select(m => (float)m).ToArray(),
            square.Select((s, d) => (float)Math.Max(1e-3, Math.Sqrt(Math.Max(0, s / frames - mean[d] * mean[d])))).ToArray());
    }
}
