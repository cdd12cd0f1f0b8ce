using EmotionLab.Models.Audio;
using EmotionLab.Models.Features;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// Frame-level prosody as a cacheable extractor for the prosody enhancement: F0 (Hz, 0 when
/// unvoiced), voiced flag, voicing probability and energy (dB) every 10 ms, the same frames as the
/// log-mel (<see cref="ProsodyExtractor"/>). The dataset standardises them with train statistics.
/// </summary>
public sealed class ProsodyFrames : IAudioFeatureExtractor
{
    public const int Dimensions = ProsodyFeatures.Dimensions;

    private readonly ProsodyExtractor extractor = new();

    public string Name => "prosody";

    public string Fingerprint => $"prosody v1 sr=16000 hop={extractor.Pitch.HopLength} window={extractor.EnergyWindow} " +
                                 $"f0={extractor.Pitch.MinF0}-{extractor.Pitch.MaxF0} yin={extractor.Pitch.Threshold} silence={extractor.Pitch.SilenceDb}";

    int IAudioFeatureExtractor.Dimensions => Dimensions;

    // ProsodyExtractor keeps no state between calls, so threads may share it.
    public FeatureMatrix Extract(ReadOnlySpan<float> samples16k) => extractor.Extract(samples16k).ToMatrix();
}
