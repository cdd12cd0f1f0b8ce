using System.Runtime.Intrinsics;

namespace EmotionLab.Models.Audio;

/// <summary>
/// log(mel + offset) with torchaudio.transforms.MelSpectrogram's defaults for the given sizes:
/// periodic Hann window of n_fft samples, center=True with reflect padding of n_fft/2 on both sides
/// (so there are 1 + samples/hop frames, frame i centred on sample i·hop), power 2, one-sided
/// spectrum, HTK mel filters with norm=None from 0 Hz to sr/2. The default 25 ms / 10 ms at 16 kHz
/// (n_fft 400, hop 160) and 80 mels are the front-end the model families share.
///
/// <para><see cref="LogOffset"/> (default 1e-6) is added before the natural log so silence maps to
/// log(1e-6) ≈ -13.8 instead of -inf; it must be the same at training and inference time.</para>
///
/// <para>Parity: the FFT is a port of the one torch.stft uses (<see cref="RealFft"/>) and the window
/// is computed in float32 the way torch.hann_window does, so even bins whose power is ~1e-9 of the
/// frame's (where float32 rounding decides the value) agree with torchaudio.</para>
///
/// <para>Speed: frames are transformed eight at a time, one per SIMD lane, and each mel filter
/// sums only its non-zero bins. One instance is not thread-safe (it owns its
/// scratch buffers); use one per thread.</para>
/// </summary>
public sealed class LogMelSpectrogram
{
    public int SampleRate { get; }
    public int FftSize { get; }
    public int HopLength { get; }
    public int MelBins { get; }
    public float LogOffset { get; }
    public MelFilterbank Filterbank { get; }

    private readonly RealFft fft;
    private readonly float[] window;
    private readonly Vector256<float>[] spectrum, work, power;

    public LogMelSpectrogram(int sampleRate = 16_000, int fftSize = 400, int hopLength = 160, int melBins = 80, float logOffset = 1e-6f)
    {
        if (fftSize < 2) throw new ArgumentOutOfRangeException(nameof(fftSize), fftSize, "n_fft must be at least 2");
        if (hopLength <= 0) throw new ArgumentOutOfRangeException(nameof(hopLength), hopLength, "the hop must be positive");
        if (!(logOffset > 0)) throw new ArgumentOutOfRangeException(nameof(logOffset), logOffset, "the log offset must be positive (log(0) is -inf)");
        (SampleRate, FftSize, HopLength, MelBins, LogOffset) = (sampleRate, fftSize, hopLength, melBins, logOffset);
        Filterbank = new MelFilterbank(fftSize / 2 + 1, melBins, sampleRate);
        fft = new RealFft(fftSize);
        window = HannWindow(fftSize);
        spectrum = new Vector256<float>[fftSize];
        work = new Vector256<float>[fftSize];
        power = new Vector256<float>[fftSize / 2 + 1];
    }

    /// <summary>Frames produced for <paramref name="samples"/> input samples (center=True).</summary>
    public int FrameCount(int samples) => 1 + samples / HopLength;

    /// <summary>The (frames x mels) log-mel of mono audio at <see cref="SampleRate"/>.</summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> samples)
    {
        var pad = FftSize / 2;
        if (samples.Length <= pad)
            throw new ArgumentException($"{samples.Length} samples are too few: reflect padding by n_fft/2 = {pad} needs at least {pad + 1}", nameof(samples));
        var padded = ReflectPad(samples, pad);
        var frames = FrameCount(samples.Length);
        var result = new FeatureMatrix(frames, MelBins);
        var output = result.Values;
        var bins = FftSize / 2 + 1;
        var starts = Filterbank.Start;
        var runs = Filterbank.Runs;
        var offset = Vector256.Create(LogOffset);
        Span<int> frameStart = stackalloc int[RealFft.Lanes];
        Span<float> lanes = stackalloc float[RealFft.Lanes];

        for (var first = 0; first < frames; first += RealFft.Lanes)
        {
            var valid = Math.Min(RealFft.Lanes, frames - first);
            for (var lane = 0; lane < RealFft.Lanes; lane++)
                frameStart[lane] = Math.Min(first + lane, frames - 1) * HopLength; // spare lanes repeat the last frame
            int s0 = frameStart[0], s1 = frameStart[1], s2 = frameStart[2], s3 = frameStart[3],
                s4 = frameStart[4], s5 = frameStart[5], s6 = frameStart[6], s7 = frameStart[7];
            for (var t = 0; t < FftSize; t++)
            {
                spectrum[t] = Vector256.Create(padded[s0 + t], padded[s1 + t], padded[s2 + t], padded[s3 + t],
                    padded[s4 + t], padded[s5 + t], padded[s6 + t], padded[s7 + t]) * window[t];
            }
            fft.Forward(spectrum, work);
            // Half-complex order: r0, r1, i1, r2, i2, ..., r(n/2) when n is even.
            power[0] = spectrum[0] * spectrum[0];
            for (var k = 1; 2 * k < FftSize; k++) power[k] = spectrum[2 * k - 1] * spectrum[2 * k - 1] + spectrum[2 * k] * spectrum[2 * k];
            if (FftSize % 2 == 0) power[bins - 1] = spectrum[FftSize - 1] * spectrum[FftSize - 1];

            for (var m = 0; m < MelBins; m++)
            {
                var run = runs[m];
                var start = starts[m];
                var sum = Vector256<float>.Zero;
                for (var j = 0; j < run.Length; j++) sum += power[start + j] * run[j];
                Vector256.Log(sum + offset).CopyTo(lanes);
                for (var lane = 0; lane < valid; lane++) output[(first + lane) * MelBins + m] = lanes[lane];
            }
        }
        return result;
    }

    /// <summary>
    /// torch.hann_window(n) (periodic) as torch computes it in float32: arange(n+1) times the
    /// float32 step 2π/n, cosine, times -0.5, plus 0.5, first n values.
    /// </summary>
    public static float[] HannWindow(int length)
    {
        var step = (float)(Math.PI * 2.0 / length);
        var window = new float[length];
        for (var n = 0; n < length; n++) window[n] = (float)Math.Cos((float)n * step) * -0.5f + 0.5f;
        return window;
    }

    /// <summary>torch's reflect padding: x[pad..1], x, x[n-2..n-1-pad] (the edge sample is not repeated).</summary>
    private static float[] ReflectPad(ReadOnlySpan<float> samples, int pad)
    {
        var n = samples.Length;
        var padded = new float[n + 2 * pad];
        samples.CopyTo(padded.AsSpan(pad));
        for (var i = 0; i < pad; i++)
        {
            padded[pad - 1 - i] = samples[i + 1];
            padded[pad + n + i] = samples[n - 2 - i];
        }
        return padded;
    }
}
