using System.Runtime.Intrinsics;

namespace EmotionLab.Models.Audio;

/// <summary>
/// Kaldi's log mel filterbank as torchaudio.compliance.kaldi.fbank computes it with its defaults
/// (the front-end BEATs and AST were pretrained on): 25 ms frames every 10 ms that fit wholly in
/// the signal (snip_edges), each frame's mean removed, pre-emphasis 0.97 (the first sample
/// against itself), the Povey window (Hann^0.85, non-periodic), zero-padded to a 512-point FFT,
/// power spectrum, Kaldi's triangular mel filters (mel = 1127 ln(1 + f/700), 20 Hz to Nyquist,
/// evaluated on 256 bins, none on the Nyquist bin), and log(max(energy, float32 epsilon)).
/// No dither, no energy column.
///
/// <para>Arithmetic is float32 in torchaudio's order and the FFT is the one torch.fft.rfft runs
/// (<see cref="RealFft"/>), so values agree to ~1e-5. Input is in the scale the caller's model
/// expects (BEATs multiplies [-1, 1] audio by 2^15 first). One instance is not thread-safe.</para>
/// </summary>
public sealed class KaldiFbank
{
    private const float Preemphasis = 0.97f;
    private static readonly Vector256<float> Epsilon = Vector256.Create(1.1920928955078125e-07f);

    public int SampleRate { get; }
    public int WindowSize { get; }
    public int WindowShift { get; }
    public int FftSize { get; }
    public int MelBins { get; }

    private readonly RealFft fft;
    private readonly float[] window;
    // Each filter's non-zero run of weights and its first bin (Kaldi's filters leave the Nyquist bin out).
    private readonly int[] filterStart;
    private readonly float[][] filterRuns;
    private readonly Vector256<float>[] spectrum, work, power;

    public KaldiFbank(int melBins = 128, int sampleRate = 16_000, double frameLengthMs = 25, double frameShiftMs = 10, double lowHz = 20)
    {
        if (melBins <= 3) throw new ArgumentOutOfRangeException(nameof(melBins), melBins, "Kaldi's filterbank needs at least 4 mel bins");
        (SampleRate, MelBins) = (sampleRate, melBins);
        WindowShift = (int)(sampleRate * frameShiftMs * 0.001);
        WindowSize = (int)(sampleRate * frameLengthMs * 0.001);
        if (WindowSize < 2 || WindowShift < 1) throw new ArgumentOutOfRangeException(nameof(frameLengthMs), "frames must hold at least 2 samples and move by at least 1");
        FftSize = 1;
        while (FftSize < WindowSize) FftSize *= 2;
        fft = new RealFft(FftSize);
        window = PoveyWindow(WindowSize);
        var filters = MelFilters(melBins, FftSize, sampleRate, lowHz);
        filterStart = filters.Select(f => Math.Max(0, Array.FindIndex(f, w => w != 0))).ToArray();
        filterRuns = filters.Select((f, m) => f[filterStart[m]..(Array.FindLastIndex(f, w => w != 0) + 1)]).ToArray();
        spectrum = new Vector256<float>[FftSize];
        work = new Vector256<float>[FftSize];
        power = new Vector256<float>[FftSize / 2];
    }

    /// <summary>Frames that fit wholly in <paramref name="samples"/> samples (0 when fewer than one window).</summary>
    public int FrameCount(int samples) => samples < WindowSize ? 0 : 1 + (samples - WindowSize) / WindowShift;

    /// <summary>The (frames x mels) log filterbank energies of mono audio at <see cref="SampleRate"/>.</summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> samples)
    {
        var frames = FrameCount(samples.Length);
        var result = new FeatureMatrix(frames, MelBins);
        Span<float> frame = stackalloc float[WindowSize];
        Span<float> lanes = stackalloc float[RealFft.Lanes];
        for (var first = 0; first < frames; first += RealFft.Lanes)
        {
            var valid = Math.Min(RealFft.Lanes, frames - first);
            Array.Clear(spectrum);
            for (var lane = 0; lane < RealFft.Lanes; lane++)
            {
                // Spare lanes repeat the last frame; their results are not written.
                samples.Slice(Math.Min(first + lane, frames - 1) * WindowShift, WindowSize).CopyTo(frame);
                Prepare(frame);
                for (var t = 0; t < WindowSize; t++) spectrum[t] = spectrum[t].WithElement(lane, frame[t]);
            }
            fft.Forward(spectrum, work);
            // Half-complex order: r0, r1, i1, r2, i2, ...; the Nyquist bin has no filter.
            power[0] = spectrum[0] * spectrum[0];
            for (var k = 1; k < FftSize / 2; k++) power[k] = spectrum[2 * k - 1] * spectrum[2 * k - 1] + spectrum[2 * k] * spectrum[2 * k];
            for (var m = 0; m < MelBins; m++)
            {
                var (start, run) = (filterStart[m], filterRuns[m]);
                var sum = Vector256<float>.Zero;
                for (var k = 0; k < run.Length; k++) sum += power[start + k] * run[k];
                Vector256.Log(Vector256.Max(sum, Epsilon)).CopyTo(lanes);
                for (var lane = 0; lane < valid; lane++) result[first + lane, m] = lanes[lane];
            }
        }
        return result;
    }

    // The frame's mean removed, pre-emphasis, then the window (torchaudio's _get_window).
    private void Prepare(Span<float> frame)
    {
        var sum = 0.0;
        foreach (var x in frame) sum += x;
        var mean = (float)(sum / frame.Length);
        for (var t = 0; t < frame.Length; t++) frame[t] -= mean;
        for (var t = frame.Length - 1; t > 0; t--) frame[t] -= Preemphasis * frame[t - 1];
        frame[0] -= Preemphasis * frame[0];
        for (var t = 0; t < frame.Length; t++) frame[t] *= window[t];
    }

    /// <summary>torch.hann_window(n, periodic=False).pow(0.85) in float32.</summary>
    public static float[] PoveyWindow(int length)
    {
        var step = (float)(Math.PI * 2.0 / (length - 1));
        var result = new float[length];
        for (var n = 0; n < length; n++) result[n] = MathF.Pow((float)Math.Cos((float)n * step) * -0.5f + 0.5f, 0.85f);
        return result;
    }

    /// <summary>
    /// Kaldi's filters (torchaudio's get_mel_banks without VTLN): num_bins + 2 points evenly spaced
    /// on the mel scale from lowHz to Nyquist, each filter a triangle in mel between its
    /// neighbours, evaluated at the mel of each FFT bin's frequency; float32 as torchaudio.
    /// </summary>
    public static float[][] MelFilters(int melBins, int fftSize, int sampleRate, double lowHz)
    {
        static double Mel(double hz) => 1127.0 * Math.Log(1.0 + hz / 700.0);
        var nyquist = 0.5 * sampleRate;
        var low = (float)Mel(lowHz);
        var delta = (float)((Mel(nyquist) - Mel(lowHz)) / (melBins + 1));
        var binWidth = (float)((double)sampleRate / fftSize);
        var binMel = new float[fftSize / 2];
        for (var k = 0; k < binMel.Length; k++) binMel[k] = 1127f * MathF.Log(1f + binWidth * k / 700f);
        var result = new float[melBins][];
        for (var m = 0; m < melBins; m++)
        {
            float left = low + m * delta, center = low + (m + 1f) * delta, right = low + (m + 2f) * delta;
            result[m] = new float[binMel.Length];
            for (var k = 0; k < binMel.Length; k++)
            {
                var up = (binMel[k] - left) / (center - left);
                var down = (right - binMel[k]) / (right - center);
                result[m][k] = MathF.Max(0f, MathF.Min(up, down));
            }
        }
        return result;
    }
}
