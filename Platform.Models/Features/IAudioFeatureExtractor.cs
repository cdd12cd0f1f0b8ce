using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Features;

/// <summary>Frame-level features of 16 kHz mono audio, with a fingerprint of every setting that changes them.</summary>
public interface IAudioFeatureExtractor
{
    /// <summary>Short name for folder names (logmel80, prosody).</summary>
    string Name { get; }

    /// <summary>Changes whenever the output would change (parameters, algorithm version).</summary>
    string Fingerprint { get; }

    int Dimensions { get; }

    /// <summary>Called from several threads at once.</summary>
    FeatureMatrix Extract(ReadOnlySpan<float> samples16k);
}
