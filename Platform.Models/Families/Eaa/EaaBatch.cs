using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.Eaa;

/// <summary>
/// The inputs of one EAA batch: each used stream's frames (B, T, F) with their padding mask
/// (B, T) (standardised log-mel for a scratch encoder, the cached hidden state for a pretrained
/// one; null when the stream is off), and each utterance's prompt tokens before and after the audio.
/// </summary>
public sealed record EaaBatch(Tensor? Semantic, Tensor? SemanticPadding, Tensor? Acoustic, Tensor? AcousticPadding,
    IReadOnlyList<int[]> Before, IReadOnlyList<int[]> After)
{
    public int Count => Before.Count;
}
