using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// Resamples a padded sequence to a fixed number of segments of equal duration, so text and audio
/// line up position by position. The paper's joint attention (eq. 14) adds Q_a K_a^T and Q_l K_l^T
/// and averages V_a and V_l, which needs one set of positions for both modalities; its utterance
/// vectors have a single position, where every softmax is 1 and the attention does nothing. Here
/// the real positions of an item tile [0, 1) (token or frame block i of n covers [i/n, (i+1)/n)),
/// segment p covers [p/S, (p+1)/S), and a segment is the overlap-weighted mean of the positions it
/// covers (area interpolation: a short sequence is stretched, a long one averaged; no segment is empty).
/// </summary>
public static class SegmentAlignment
{
    /// <summary>(B, T, D) with padding (B, T), padding after the real positions, to (B, segments, D).</summary>
    public static Tensor Align(EncodedSequence sequence, int segments)
    {
        using var scope = torch.NewDisposeScope();
        var device = sequence.Values.device;
        var length = sequence.Values.size(1);
        var real = sequence.Padding.logical_not().sum(1).to(torch.float32).clamp(min: 1).reshape(-1, 1, 1); // (B, 1, 1)
        var p = torch.arange(0, segments, 1, torch.float32, device).reshape(1, -1, 1);                        // (1, S, 1)
        var t = torch.arange(0, length, 1, torch.float32, device).reshape(1, 1, -1);                          // (1, 1, T)
        var overlap = ((p + 1) / segments).minimum((t + 1) / real) - (p / segments).maximum(t / real);        // (B, S, T)
        // Each segment's overlaps add up to its width 1/S; positions past the real ones overlap nothing.
        var weights = overlap.clamp(min: 0) * segments;
        return weights.matmul(sequence.Values).MoveToOuterDisposeScope();
    }
}
