using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Features;

/// <summary>Token-level features of an utterance's transcript, with a fingerprint of every setting that changes them.</summary>
public interface ITextFeatureExtractor
{
    /// <summary>Short name for folder names.</summary>
    string Name { get; }

    /// <summary>Changes whenever the output would change (model weights, layer, algorithm version).</summary>
    string Fingerprint { get; }

    int Dimensions { get; }

    /// <summary>One row per token; called from several threads at once.</summary>
    FeatureMatrix Extract(string text);
}
