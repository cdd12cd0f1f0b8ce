using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Eaa;

/// <summary>
/// Eqs. (2)-(4): each stream projected to the common width d (W_s S + b_s, W_a A + b_a) and
/// layer-normalised, the shorter zero-padded to T = max(T_s, T_a), then dual cross-attention
/// (Att_s: semantic queries acoustic; Att_a: acoustic queries semantic) and
/// F = Concat(S~, A~, Att_s, Att_a) per position (B, T, 4d). The ablations: one direction only
/// (F = [S~, A~, Att]), self-attention only (each stream attends to itself: F = [S~, A~, SA_s, SA_a]),
/// and a single encoder (F = [X~, SA_x]).
///
/// <para>The paper pads with zeros "so the attention mechanisms operate over temporally aligned
/// representations" and says nothing of masking. A zero key still takes softmax weight, so here
/// keys that are padding (past a stream's own length, or the batch's) are masked out; queries at
/// padded positions of one stream still attend to the other, and a position of F is real where
/// either stream is.</para>
/// </summary>
public sealed class DualCrossAttentionFusion : Module
{
    private readonly string fusion;
    private readonly Linear? semantic_projection, acoustic_projection;
    private readonly LayerNorm? semantic_norm, acoustic_norm;
    private readonly MultiheadAttention? semantic_attention, acoustic_attention;

    /// <param name="semanticWidth">the semantic encoder's output width, or null when that stream is off</param>
    /// <param name="acousticWidth">the acoustic encoder's output width, or null when that stream is off</param>
    public DualCrossAttentionFusion(int? semanticWidth, int? acousticWidth, int size, int heads, string fusion, double dropout)
    {
        if (semanticWidth is null && acousticWidth is null) throw new ArgumentException("EAA's fusion needs at least one stream");
        this.fusion = semanticWidth is not null && acousticWidth is not null ? fusion : EaaConfig.SelfAttention;
        if (semanticWidth is { } s)
        {
            semantic_projection = register_module("semantic_projection", new Linear(s, size));
            semantic_norm = register_module("semantic_norm", new LayerNorm(size));
            if (this.fusion != EaaConfig.AcousticQueriesSemantic)
                semantic_attention = register_module("semantic_attention", new MultiheadAttention(size, heads, dropout, batch_first: true));
        }
        if (acousticWidth is { } a)
        {
            acoustic_projection = register_module("acoustic_projection", new Linear(a, size));
            acoustic_norm = register_module("acoustic_norm", new LayerNorm(size));
            if (this.fusion != EaaConfig.SemanticQueriesAcoustic)
                acoustic_attention = register_module("acoustic_attention", new MultiheadAttention(size, heads, dropout, batch_first: true));
        }
        var streams = (semanticWidth is null ? 0 : 1) + (acousticWidth is null ? 0 : 1);
        var attentions = (semantic_attention is null ? 0 : 1) + (acoustic_attention is null ? 0 : 1);
        OutputSize = (streams + attentions) * size;
    }

    /// <summary>Width of F per position: d times the parts concatenated.</summary>
    public int OutputSize { get; }

    public EncodedSequence forward(EncodedSequence? semantic, EncodedSequence? acoustic)
    {
        var length = Math.Max(semantic?.Values.size(1) ?? 0, acoustic?.Values.size(1) ?? 0);
        var s = Project(semantic, semantic_projection, semantic_norm, length);   // (B, T, d), (B, T) padding
        var a = Project(acoustic, acoustic_projection, acoustic_norm, length);
        var parts = new List<Tensor>();
        if (s is not null) parts.Add(s.Value.Values);
        if (a is not null) parts.Add(a.Value.Values);
        if (semantic_attention is not null)                                        // Att_s: semantic queries acoustic (or itself)
        {
            var source = fusion == EaaConfig.SelfAttention ? s!.Value : a!.Value;
            parts.Add(semantic_attention.forward(s!.Value.Values, source.Values, source.Values, source.Padding, need_weights: false).output);
        }
        if (acoustic_attention is not null)                                        // Att_a: acoustic queries semantic (or itself)
        {
            var source = fusion == EaaConfig.SelfAttention ? a!.Value : s!.Value;
            parts.Add(acoustic_attention.forward(a!.Value.Values, source.Values, source.Values, source.Padding, need_weights: false).output);
        }
        var padding = s is not null && a is not null ? s.Value.Padding.logical_and(a.Value.Padding) : (s ?? a)!.Value.Padding;
        return new EncodedSequence(torch.cat(parts, 2), padding);                 // (B, T, parts x d)
    }

    // Eq. (2) and LayerNorm, padding zeroed, then zero-padded in time to the common length.
    private static (Tensor Values, Tensor Padding)? Project(EncodedSequence? stream, Linear? projection, LayerNorm? norm, long length)
    {
        if (stream is null) return null;
        var x = norm!.forward(projection!.forward(stream.Values)) * stream.Padding.logical_not().unsqueeze(2).to(torch.float32);
        var extra = length - x.size(1);
        if (extra == 0) return (x, stream.Padding);
        return (functional.pad(x, [0, 0, 0, extra]), functional.pad(stream.Padding.to(torch.float32), [0, extra], value: 1).to(torch.@bool));
    }
}
