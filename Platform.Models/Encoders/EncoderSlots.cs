namespace EmotionLab.Models.Encoders;

/// <summary>
/// The module that fills a family's slot for its config: the scratch encoders, or the trainable
/// part over a frozen pretrained encoder's cached features (the features themselves come from
/// <see cref="Features.SlotFeatures"/>). A new kind adds its case here and no family changes.
/// </summary>
public static class EncoderSlots
{
    /// <param name="vocabularySize">words of the train-split vocabulary (scratch)</param>
    /// <param name="featureSize">width of the cached token features (pretrained)</param>
    public static ITextEncoderSlot Text(EncoderSlotConfig config, int vocabularySize, int featureSize, double dropout) => config.Kind switch
    {
        EncoderSlotConfig.ScratchKind => new ScratchTextEncoder(config, vocabularySize, dropout),
        EncoderSlotConfig.PretrainedKind => new FrameSequenceEncoder(config, featureSize, dropout, stride: 1),
        _ => throw new ArgumentException($"unknown text encoder kind '{config.Kind}'"),
    };

    /// <param name="frameSize">width of a frame: mel bins (scratch) or the pretrained encoder's hidden size</param>
    public static IAudioEncoderSlot Audio(EncoderSlotConfig config, int frameSize, double dropout) => config.Kind switch
    {
        EncoderSlotConfig.ScratchKind or EncoderSlotConfig.PretrainedKind => new FrameSequenceEncoder(config, frameSize, dropout),
        _ => throw new ArgumentException($"unknown audio encoder kind '{config.Kind}'"),
    };
}
