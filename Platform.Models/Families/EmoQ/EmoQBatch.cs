using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.EmoQ;

/// <summary>
/// The inputs of one EmoQ batch: the audio frames (B, T, F) with their padding (B, T) (standardised
/// log-mel for a scratch encoder, the frozen HuBERT's cached hidden state for a pretrained one;
/// null for text only), the transcript's tokens for the bridge (B, Lt) with their padding (null
/// for audio only), and each utterance's prompt tokens before and after the &lt;AUDIO&gt; slot
/// (After is empty, and Before the whole prompt, when there is no slot).
/// </summary>
public sealed record EmoQBatch(Tensor? Audio, Tensor? AudioPadding, Tensor? Tokens, Tensor? TokenPadding,
    IReadOnlyList<int[]> Before, IReadOnlyList<int[]> After)
{
    public int Count => Before.Count;
}
