using System.Numerics.Tensors;

namespace EmotionLab.Models.Audio;

/// <summary>
/// Band-limited resampling with a Hann-windowed sinc, the algorithm of
/// torchaudio.functional.resample (resampling_method "sinc_interp_hann"): both rates are divided
/// by their gcd, one filter per output phase is built from the same formula (in float64, stored as
/// float32), the input is zero-padded by the filter width on both sides and each output sample is
/// one dot product, and the output has ceil(length * new / orig) samples. The defaults
/// (lowpass_filter_width 6, rolloff 0.99) are torchaudio's; the cut-off is rolloff times the lower
/// Nyquist frequency, so downsampling removes what would alias.
/// </summary>
public sealed class Resampler
{
    public int SourceRate { get; }
    public int TargetRate { get; }
    public int LowpassFilterWidth { get; }
    public double Rolloff { get; }

    private readonly int origStep;   // source rate / gcd: input samples per block of outputs
    private readonly int newStep;    // target rate / gcd: outputs (phases) per block
    private readonly int width;      // zero padding on each side, in input samples
    private readonly float[][] kernels; // [phase][2 * width + origStep]

    public Resampler(int sourceRate, int targetRate = 16_000, int lowpassFilterWidth = 6, double rolloff = 0.99)
    {
        if (sourceRate <= 0) throw new ArgumentOutOfRangeException(nameof(sourceRate), sourceRate, "the source rate must be positive");
        if (targetRate <= 0) throw new ArgumentOutOfRangeException(nameof(targetRate), targetRate, "the target rate must be positive");
        if (lowpassFilterWidth <= 0) throw new ArgumentOutOfRangeException(nameof(lowpassFilterWidth), lowpassFilterWidth, "the low-pass filter width must be positive");
        if (rolloff is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(rolloff), rolloff, "the rolloff must be in (0, 1]");
        (SourceRate, TargetRate, LowpassFilterWidth, Rolloff) = (sourceRate, targetRate, lowpassFilterWidth, rolloff);
        var gcd = Gcd(sourceRate, targetRate);
        origStep = sourceRate / gcd;
        newStep = targetRate / gcd;

        // The same arithmetic as torchaudio's _get_sinc_resample_kernel, step by step.
        var baseFreq = Math.Min(origStep, newStep) * rolloff;
        width = (int)Math.Ceiling(lowpassFilterWidth * origStep / baseFreq);
        var taps = 2 * width + origStep;
        var scale = baseFreq / origStep;
        kernels = new float[newStep][];
        for (var phase = 0; phase < newStep; phase++)
        {
            var kernel = kernels[phase] = new float[taps];
            // torchaudio computes -phase / new_freq on an integer tensor, which yields float32.
            var offset = (double)((float)-phase / newStep);
            for (var i = 0; i < taps; i++)
            {
                var t = (offset + (double)(i - width) / origStep) * baseFreq;
                t = Math.Clamp(t, -lowpassFilterWidth, lowpassFilterWidth);
                var window = Math.Cos(t * Math.PI / lowpassFilterWidth / 2);
                window *= window;
                t *= Math.PI;
                var sinc = t == 0 ? 1.0 : Math.Sin(t) / t;
                kernel[i] = (float)(sinc * (window * scale));
            }
        }
    }

    /// <summary>Number of output samples for an input of <paramref name="inputLength"/> samples.</summary>
    public int OutputLength(int inputLength) => (int)(((long)inputLength * newStep + origStep - 1) / origStep);

    public float[] Process(ReadOnlySpan<float> input)
    {
        if (SourceRate == TargetRate) return input.ToArray();
        var padded = new float[input.Length + 2 * width + origStep];
        input.CopyTo(padded.AsSpan(width));
        var output = new float[OutputLength(input.Length)];
        var taps = kernels[0].Length;
        for (var o = 0; o < output.Length; o++)
        {
            var block = o / newStep;
            var phase = o - block * newStep;
            output[o] = TensorPrimitives.Dot(padded.AsSpan(block * origStep, taps), kernels[phase]);
        }
        return output;
    }

    /// <summary>Resamples mono audio to 16 kHz (or <paramref name="targetRate"/>); a clip already at that rate is returned as a copy.</summary>
    public static float[] Resample(ReadOnlySpan<float> input, int sourceRate, int targetRate = 16_000) =>
        new Resampler(sourceRate, targetRate).Process(input);

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
