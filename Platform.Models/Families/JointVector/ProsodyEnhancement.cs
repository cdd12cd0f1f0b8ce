using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// Prosody enhancement (EPC paper, eq. 2): F_a = h_a + LN(Enc(h_a)). The paper's prosody encoder
/// is a fine-tuned one from voice conversion that reads pitch; here Enc is a transformer encoder
/// layer over h_a plus the utterance's frame-level prosody (log F0, voicing, voicing probability,
/// energy; <see cref="ProsodyFrames"/>) averaged onto h_a's positions, so the residual brings what
/// the pitch contour says that h_a may not.
/// </summary>
public sealed class ProsodyEnhancement : Module
{
    private readonly Linear prosody;
    private readonly TransformerEncoderLayer encoder;
    private readonly LayerNorm norm;

    public ProsodyEnhancement(int size, int heads, double dropout)
    {
        prosody = register_module("prosody", new Linear(ProsodyFrames.Dimensions, size));
        encoder = register_module("encoder", new TransformerEncoderLayer(size, heads, dim_feedforward: 2 * size, dropout: dropout, batch_first: true));
        norm = register_module("norm", new LayerNorm(size));
    }

    /// <param name="audio">h_a (B, P, D) with its padding (B, P)</param>
    /// <param name="contour">prosody steps (B, T, 4) with their padding (B, T)</param>
    public Tensor forward(Tensor audio, Tensor audioPadding, Tensor contour, Tensor contourPadding)
    {
        var aligned = Align(contour, contourPadding, audioPadding);
        var encoded = encoder.forward(audio + prosody.forward(aligned), null, audioPadding);
        return audio + norm.forward(encoded);
    }

    // Averages the contour's real steps onto the audio's real positions, proportionally in time:
    // step t of an item with T real steps and P real positions goes to position floor(t·P/T).
    // Tensor ops only, so any audio slot (any output rate) lines up with the contour.
    private static Tensor Align(Tensor contour, Tensor contourPadding, Tensor audioPadding)
    {
        var (steps, positions) = (contour.size(1), audioPadding.size(1));
        var stepKeep = contourPadding.logical_not();
        var stepCount = stepKeep.sum(1).to(torch.float32).clamp(min: 1).unsqueeze(1);
        var positionCount = audioPadding.logical_not().sum(1).to(torch.float32).unsqueeze(1);
        var t = torch.arange(steps, torch.float32, contour.device).unsqueeze(0);
        var bucket = (t * positionCount / stepCount).to(torch.int64); // truncation = floor for t >= 0
        var target = torch.arange(positions, torch.int64, contour.device).view(1, positions, 1);
        var weights = bucket.unsqueeze(1).eq(target).logical_and(stepKeep.unsqueeze(1)).to(torch.float32); // (B, P, T)
        weights = weights / weights.sum(2, keepdim: true).clamp(min: 1);
        return weights.bmm(contour);
    }
}
