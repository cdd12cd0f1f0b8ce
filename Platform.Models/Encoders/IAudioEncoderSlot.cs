using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Encoders;

/// <summary>
/// The audio slot of a family: feature frames (B, T, F) with their padding mask (B, T) to a
/// sequence of vectors (possibly shorter than T). The frames are log-mel frames for the scratch
/// slot and a frozen pretrained speech encoder's cached hidden states for the pretrained slot.
/// </summary>
public interface IAudioEncoderSlot
{
    int OutputSize { get; }

    EncodedSequence Encode(Tensor frames, Tensor padding);
}
