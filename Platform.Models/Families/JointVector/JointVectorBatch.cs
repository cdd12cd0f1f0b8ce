using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// The inputs of one batch; a modality's tensors are null when the spec does not read it.
/// </summary>
/// <param name="Tokens">word and speaker-token ids of the conversation (B, L), padded with 0</param>
/// <param name="Focus">1 on the tokens of the focus turn (B, L): the utterance (ERC) or the last context turn (EPC), whose audio the batch carries</param>
/// <param name="KwrtScores">KWRT's Squeeze(M) per token (B, L); null when KWRT is off</param>
/// <param name="Frames">standardised log-mel frames of the focus turn (B, T, mels) and their padding (B, T)</param>
/// <param name="Prosody">prosody steps (B, S, 4) and their padding; null when prosody enhancement is off</param>
/// <param name="Patches">mel patches (B, Q, size²) and their padding; null when no mel-spectrogram fusion reads them</param>
public sealed record JointVectorBatch(
    Tensor? Tokens, Tensor? Focus, Tensor? KwrtScores,
    Tensor? Frames, Tensor? FramePadding,
    Tensor? Prosody, Tensor? ProsodyPadding,
    Tensor? Patches, Tensor? PatchPadding);
