using EmotionLab.Models.Encoders;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// What the bimodal attention network gives on: the enhanced self-attention sequences h_a^s, h_l^s
/// (for the audio and text heads and the CAN) and the enhanced cross-attention sequences h_a^c,
/// h_l^c (for the concatenation). A branch a variant leaves out passes its input through.
/// </summary>
public sealed record BimodalAttentionOutput(EncodedSequence SelfAudio, EncodedSequence SelfText, EncodedSequence CrossAudio, EncodedSequence CrossText)
{
    /// <summary>Without a BAN (Fig. 6's "w/o BAN"): the unimodal representations in every place.</summary>
    public static BimodalAttentionOutput PassThrough(EncodedSequence audio, EncodedSequence text) => new(audio, text, audio, text);
}
