namespace EmotionLab.Models.Audio;

/// <summary>
/// F0, voicing (<see cref="PitchTracker"/>) and RMS energy per frame: frame i centred on sample
/// i·hop, the same frames as <see cref="LogMelSpectrogram"/> (1 + samples/hop of them).
/// </summary>
public sealed class ProsodyExtractor
{
    /// <summary>Energy of digital silence: 10·log10(1e-10).</summary>
    public const float EnergyFloorDb = -100f;

    public PitchTracker Pitch { get; }
    public int EnergyWindow { get; }

    public ProsodyExtractor(int sampleRate = 16_000, int hopLength = 160, int energyWindow = 400, double yinThreshold = 0.15)
    {
        if (energyWindow <= 0) throw new ArgumentOutOfRangeException(nameof(energyWindow), energyWindow, "the energy window must be positive");
        Pitch = new PitchTracker(sampleRate, hopLength, threshold: yinThreshold);
        EnergyWindow = energyWindow;
    }

    public ProsodyFeatures Extract(ReadOnlySpan<float> samples)
    {
        var (f0, voiced, probability) = Pitch.Track(samples);
        var energy = new float[f0.Length];
        for (var i = 0; i < energy.Length; i++)
        {
            var start = i * Pitch.HopLength - EnergyWindow / 2;
            double sum = 0;
            for (var j = Math.Max(start, 0); j < Math.Min(start + EnergyWindow, samples.Length); j++) sum += (double)samples[j] * samples[j];
            energy[i] = (float)Math.Max(10 * Math.Log10(sum / EnergyWindow + 1e-10), EnergyFloorDb);
        }
        return new ProsodyFeatures(f0, voiced, probability, energy);
    }
}
