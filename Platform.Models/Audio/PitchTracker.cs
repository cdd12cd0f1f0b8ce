using System.Numerics.Tensors;

namespace EmotionLab.Models.Audio;

/// <summary>
/// YIN fundamental-frequency estimation (de Cheveigné and Kawahara, 2002) on frames centred every
/// hop, like the log-mel frames (frame i is centred on sample i·hop; outside the clip counts as
/// silence). For each frame: the difference function over an integration window of one period of
/// <see cref="MinF0"/> (320 samples at 16 kHz, 50 Hz), its cumulative-mean normalisation d'(τ), the
/// first lag in [sr/MaxF0, sr/MinF0] where d' dips below <see cref="Threshold"/> followed down to its
/// local minimum, and parabolic interpolation for a sub-sample period.
///
/// <para>Threshold 0.15 (YIN's paper recommends 0.1–0.15): lower misses breathy voice, higher takes
/// noise for pitch. A frame is voiced when such a dip exists and the frame's energy is above
/// <see cref="SilenceDb"/>; its voicing probability is 1 - d'(τ) clamped to [0, 1] (0 if silent).</para>
/// </summary>
public sealed class PitchTracker
{
    public int SampleRate { get; }
    public int HopLength { get; }
    public double MinF0 { get; }
    public double MaxF0 { get; }
    public double Threshold { get; }
    public double SilenceDb { get; }

    private readonly int minLag, maxLag, window;

    public PitchTracker(int sampleRate = 16_000, int hopLength = 160, double minF0 = 50, double maxF0 = 500, double threshold = 0.15, double silenceDb = -60)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "the sample rate must be positive");
        if (hopLength <= 0) throw new ArgumentOutOfRangeException(nameof(hopLength), hopLength, "the hop must be positive");
        if (!(minF0 > 0 && maxF0 > minF0 && maxF0 < sampleRate / 2.0)) throw new ArgumentOutOfRangeException(nameof(maxF0), $"need 0 < min F0 < max F0 < sr/2, got {minF0} and {maxF0}");
        if (!(threshold is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the YIN threshold must be in (0, 1)");
        (SampleRate, HopLength, MinF0, MaxF0, Threshold, SilenceDb) = (sampleRate, hopLength, minF0, maxF0, threshold, silenceDb);
        minLag = Math.Max(2, (int)Math.Floor(sampleRate / maxF0));
        maxLag = (int)Math.Ceiling(sampleRate / minF0);
        window = maxLag;
    }

    public int FrameCount(int samples) => 1 + samples / HopLength;

    /// <summary>Per frame: F0 in Hz (0 when unvoiced), the voiced flag and the voicing probability.</summary>
    public (float[] f0, bool[] voiced, float[] probability) Track(ReadOnlySpan<float> samples)
    {
        var frames = FrameCount(samples.Length);
        var (f0, voiced, probability) = (new float[frames], new bool[frames], new float[frames]);
        var span = window + maxLag + 1;
        var segment = new float[span];
        var difference = new double[maxLag + 2];
        for (var i = 0; i < frames; i++)
        {
            // The segment starts half a span before the frame centre; zero outside the clip.
            var start = i * HopLength - span / 2;
            Array.Clear(segment);
            var from = Math.Max(start, 0);
            var to = Math.Min(start + span, samples.Length);
            if (to > from) samples[from..to].CopyTo(segment.AsSpan(from - start));

            var head = segment.AsSpan(0, window);
            double energy = TensorPrimitives.Dot(head, head);
            var meanPower = TensorPrimitives.Dot(segment.AsSpan(span / 2 - window / 2, window), segment.AsSpan(span / 2 - window / 2, window)) / window;
            if (10 * Math.Log10(meanPower + 1e-10) < SilenceDb || energy <= 0) continue;

            // d(τ) = Σ x_j² + Σ x_{j+τ}² - 2 Σ x_j x_{j+τ}, with the shifted energy updated incrementally.
            double shifted = energy;
            double cumulative = 0;
            var bestLag = -1;
            var bestValue = double.MaxValue;
            difference[0] = 1;
            for (var lag = 1; lag <= maxLag + 1; lag++)
            {
                var leaving = segment[lag - 1];
                var entering = segment[lag + window - 1];
                shifted += (double)entering * entering - (double)leaving * leaving;
                var d = energy + shifted - 2.0 * TensorPrimitives.Dot(head, segment.AsSpan(lag, window));
                cumulative += d;
                difference[lag] = cumulative > 0 ? d * lag / cumulative : 1;
            }
            for (var lag = minLag; lag <= maxLag; lag++)
            {
                if (difference[lag] < Threshold)
                {
                    while (lag + 1 <= maxLag && difference[lag + 1] < difference[lag]) lag++;
                    bestLag = lag;
                    break;
                }
                if (difference[lag] < bestValue) bestValue = difference[lag];
            }
            if (bestLag < 0)
            {
                probability[i] = (float)Math.Clamp(1 - bestValue, 0, 1);
                continue;
            }
            // Parabola through d'(τ-1), d'(τ), d'(τ+1) for a sub-sample period.
            double a = difference[bestLag - 1], b = difference[bestLag], c = difference[bestLag + 1];
            var denominator = a - 2 * b + c;
            var shift = denominator > 0 ? Math.Clamp(0.5 * (a - c) / denominator, -1, 1) : 0;
            f0[i] = (float)(SampleRate / (bestLag + shift));
            voiced[i] = true;
            probability[i] = (float)Math.Clamp(1 - b, 0, 1);
        }
        return (f0, voiced, probability);
    }
}
