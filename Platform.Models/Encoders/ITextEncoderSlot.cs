namespace EmotionLab.Models.Encoders;

/// <summary>
/// The text slot of a family: word ids, or a pretrained encoder's cached token features
/// (<see cref="TextInput"/>), to one vector per token. A family holds its text encoder through this
/// interface, so the from-scratch encoder and a pretrained Hugging Face encoder are interchangeable
/// without a change to the family.
/// </summary>
public interface ITextEncoderSlot
{
    /// <summary>D of the encoded vectors.</summary>
    int OutputSize { get; }

    EncodedSequence Encode(TextInput input);
}
