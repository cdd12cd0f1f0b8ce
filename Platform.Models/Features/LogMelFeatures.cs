using System.Globalization;
using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Features;

/// <summary>Log-mel frames as a cacheable extractor; each thread gets its own LogMelSpectrogram (it owns scratch buffers).</summary>
public sealed class LogMelFeatures : IAudioFeatureExtractor, IDisposable
{
    private readonly LogMelSpectrogram settings;
    private readonly ThreadLocal<LogMelSpectrogram> perThread;

    public LogMelFeatures(int melBins = 80, int fftSize = 400, int hopLength = 160, float logOffset = 1e-6f)
    {
        settings = new LogMelSpectrogram(16_000, fftSize, hopLength, melBins, logOffset);
        perThread = new ThreadLocal<LogMelSpectrogram>(() => new LogMelSpectrogram(16_000, fftSize, hopLength, melBins, logOffset));
    }

    public string Name => $"logmel{settings.MelBins}";

    public string Fingerprint => string.Create(CultureInfo.InvariantCulture,
        $"logmel v1 sr={settings.SampleRate} n_fft={settings.FftSize} hop={settings.HopLength} mels={settings.MelBins} offset={settings.LogOffset:R}");

    public int Dimensions => settings.MelBins;

    public FeatureMatrix Extract(ReadOnlySpan<float> samples16k) => perThread.Value!.Compute(samples16k);

    public void Dispose() => perThread.Dispose();
}
