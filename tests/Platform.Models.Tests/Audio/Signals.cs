namespace EmotionLab.Models.Tests.Audio;

/// <summary>Synthetic test signals, generated in the tests so no media is committed.</summary>
internal static class Signals
{
    public static float[] Tone(int rate, double seconds, double hz, double amplitude)
    {
        var samples = new float[(int)(rate * seconds)];
        for (var i = 0; i < samples.Length; i++) samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate));
        return samples;
    }

    /// <summary>Linear chirp from f0 to f1 Hz over the whole duration.</summary>
    public static float[] Chirp(int rate, double seconds, double f0, double f1, double amplitude)
    {
        var samples = new float[(int)(rate * seconds)];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / rate;
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * (f0 * t + (f1 - f0) / (2 * seconds) * t * t)));
        }
        return samples;
    }

    public static double ChirpFrequency(double t, double seconds, double f0, double f1) => f0 + (f1 - f0) * t / seconds;

    public static float[] Noise(int rate, double seconds, double amplitude, int seed)
    {
        var random = new Random(seed);
        var samples = new float[(int)(rate * seconds)];
        for (var i = 0; i < samples.Length; i++) samples[i] = (float)(amplitude * (2 * random.NextDouble() - 1));
        return samples;
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var x in samples) sum += (double)x * x;
        return Math.Sqrt(sum / samples.Length);
    }
}
