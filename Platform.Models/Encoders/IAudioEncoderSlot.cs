using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Encoders;

/// <summary>
/// The audio slot of a family: log-mel frames (B, T, F) with their padding mask (B, T) to a
/// sequence of vectors (possibly shorter than T). Like <see cref="ITextEncoderSlot"/>, the
/// from-scratch encoder now and a pretrained speech encoder later fill the same slot.
/// </summary>
public interface IAudioEncoderSlot
{
    int OutputSize { get; }

    EncodedSequence Encode(Tensor frames, Tensor padding);
}
