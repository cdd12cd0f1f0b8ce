namespace EmotionLab.Models.Audio;

/// <summary>
/// Triangular mel filters as torchaudio.functional.melscale_fbanks builds them with the HTK mel
/// scale (mel = 2595·log10(1 + f/700)) and norm=None: mel points evenly spaced from f_min to f_max,
/// each filter rising from the previous point to its own and falling to the next, evaluated at the
/// n_fft/2+1 bin frequencies linspace(0, sr/2). Arithmetic is float32 in torchaudio's order so the
/// weights agree to the last bit or two. Stored sparsely: each filter touches only a few bins.
/// </summary>
public sealed class MelFilterbank
{
    public int FrequencyBins { get; }
    public int MelBins { get; }
    /// <summary>Dense weights [bin, mel], the layout torchaudio returns.</summary>
    public float[,] Weights { get; }
    /// <summary>First bin with a non-zero weight, per mel filter.</summary>
    public int[] Start { get; }
    /// <summary>The non-zero run of weights per mel filter, starting at <see cref="Start"/>.</summary>
    public float[][] Runs { get; }

    public MelFilterbank(int frequencyBins, int melBins, int sampleRate, float fMin = 0, float? fMax = null)
    {
        if (frequencyBins < 2) throw new ArgumentOutOfRangeException(nameof(frequencyBins), frequencyBins, "at least 2 frequency bins are needed");
        if (melBins < 1) throw new ArgumentOutOfRangeException(nameof(melBins), melBins, "at least one mel bin is needed");
        var top = fMax ?? (float)(sampleRate / 2); // torchaudio: float(sample_rate // 2)
        if (fMin < 0 || top <= fMin) throw new ArgumentOutOfRangeException(nameof(fMax), $"need 0 <= f_min < f_max, got {fMin} and {top}");
        (FrequencyBins, MelBins) = (frequencyBins, melBins);

        var binFrequencies = Linspace(0, sampleRate / 2, frequencyBins); // torchaudio uses sample_rate // 2
        var melPoints = Linspace((float)HzToMel(fMin), (float)HzToMel(top), melBins + 2);
        var hzPoints = new float[melPoints.Length];
        for (var i = 0; i < hzPoints.Length; i++) hzPoints[i] = 700f * (MathF.Pow(10f, melPoints[i] / 2595f) - 1f);

        Weights = new float[frequencyBins, melBins];
        Start = new int[melBins];
        Runs = new float[melBins][];
        for (var m = 0; m < melBins; m++)
        {
            var downWidth = hzPoints[m + 1] - hzPoints[m];
            var upWidth = hzPoints[m + 2] - hzPoints[m + 1];
            int first = -1, last = -1;
            for (var f = 0; f < frequencyBins; f++)
            {
                var down = -1f * (hzPoints[m] - binFrequencies[f]) / downWidth;
                var up = (hzPoints[m + 2] - binFrequencies[f]) / upWidth;
                var w = MathF.Max(0f, MathF.Min(down, up));
                Weights[f, m] = w;
                if (w > 0) { if (first < 0) first = f; last = f; }
            }
            Start[m] = Math.Max(first, 0);
            Runs[m] = first < 0 ? [] : Enumerable.Range(first, last - first + 1).Select(f => Weights[f, m]).ToArray();
        }
    }

    public static double HzToMel(double hz) => 2595.0 * Math.Log10(1.0 + hz / 700.0);
    public static double MelToHz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);

    /// <summary>torch.linspace for float32: the first half counts up from start, the second down from end.</summary>
    private static float[] Linspace(float start, float end, int steps)
    {
        var values = new float[steps];
        var step = (end - start) / (steps - 1);
        var halfway = steps / 2;
        for (var i = 0; i < steps; i++) values[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
        return values;
    }
}
