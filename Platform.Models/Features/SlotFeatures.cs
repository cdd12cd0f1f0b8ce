using EmotionLab.Models.Encoders;
using EmotionLab.Models.Pretrained;

namespace EmotionLab.Models.Features;

/// <summary>The feature extractors an encoder slot reads: log-mel frames for scratch audio, a frozen pretrained encoder's hidden states for the pretrained kind.</summary>
public static class SlotFeatures
{
    /// <summary>The extractor of the audio slot's frames; dispose it with the run.</summary>
    public static IAudioFeatureExtractor Audio(EncoderSlotConfig slot, string artifactRoot) => slot.Kind == EncoderSlotConfig.PretrainedKind
        ? new PretrainedSpeechFeatures(ModelFolder.Open(ModelFolder.Resolve(slot.Model!, artifactRoot)), slot.Layer)
        : new LogMelFeatures();

    /// <summary>The extractor of a pretrained text slot's token features, or null for a scratch slot (word ids).</summary>
    public static PretrainedTextFeatures? Text(EncoderSlotConfig slot, string artifactRoot) => slot.Kind == EncoderSlotConfig.PretrainedKind
        ? new PretrainedTextFeatures(ModelFolder.Open(ModelFolder.Resolve(slot.Model!, artifactRoot)), slot.Layer)
        : null;
}
