using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>
/// A pretrained encoder's output: the last hidden state (B, T, D), every hidden state (the input
/// embeddings first, then one per layer, as HF's output_hidden_states), and the padding mask
/// (B, T), true at padded positions.
/// </summary>
public sealed record EncoderOutput(Tensor LastHiddenState, IReadOnlyList<Tensor> HiddenStates, Tensor Padding);
