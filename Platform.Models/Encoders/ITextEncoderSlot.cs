using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Encoders;

/// <summary>
/// The text slot of a family: word ids (B, L), padded with id 0, to one vector per token. A family
/// holds its text encoder through this interface, so the from-scratch encoder here and a pretrained
/// Hugging Face encoder (later) are interchangeable without a change to the family.
/// </summary>
public interface ITextEncoderSlot
{
    /// <summary>D of the encoded vectors.</summary>
    int OutputSize { get; }

    EncodedSequence Encode(Tensor tokens);
}
