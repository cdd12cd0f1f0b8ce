using EmotionLab.Models.Audio;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Encoders;

/// <summary>Variable-length items stacked into one padded batch, with the padding mask the encoder slots take.</summary>
public static class PaddedBatch
{
    /// <summary>Word id rows to (B, L) int64 padded with 0, L the longest row cut to <paramref name="maxLength"/>; an empty row gets <paramref name="emptyId"/> so every row has a real token.</summary>
    public static Tensor Tokens(IReadOnlyList<int[]> rows, int maxLength, int emptyId)
    {
        var cut = rows.Select(r => r.Length == 0 ? [emptyId] : r.Take(maxLength).ToArray()).ToArray();
        var width = cut.Max(r => r.Length);
        var ids = new long[cut.Length * width];
        for (var i = 0; i < cut.Length; i++)
        for (var j = 0; j < cut[i].Length; j++)
            ids[i * width + j] = cut[i][j];
        return torch.tensor(ids, [cut.Length, width]);
    }

    /// <summary>Non-empty token rows to (B, L) int64 right-padded with <paramref name="paddingId"/>, and the padding mask (B, L), L the longest row.</summary>
    public static (Tensor Tokens, Tensor Padding) TokensWithPadding(IReadOnlyList<int[]> rows, int paddingId)
    {
        var width = rows.Max(r => r.Length);
        var ids = new long[rows.Count * width];
        var padding = new bool[rows.Count * width];
        for (var i = 0; i < rows.Count; i++)
        for (var j = 0; j < width; j++)
        {
            ids[i * width + j] = j < rows[i].Length ? rows[i][j] : paddingId;
            padding[i * width + j] = j >= rows[i].Length;
        }
        return (torch.tensor(ids, [rows.Count, width]), torch.tensor(padding, [rows.Count, width]));
    }

    /// <summary>Log-mel matrices to frames (B, T, F) padded with zeros and the padding mask (B, T); T the longest item cut to <paramref name="maxFrames"/>.</summary>
    public static (Tensor Frames, Tensor Padding) Frames(IReadOnlyList<FeatureMatrix> items, int maxFrames)
    {
        var dims = items[0].Dimensions;
        var width = Math.Max(1, items.Max(m => Math.Min(m.Frames, maxFrames)));
        var values = new float[items.Count * width * dims];
        var padding = new bool[items.Count * width];
        for (var i = 0; i < items.Count; i++)
        {
            var frames = Math.Min(items[i].Frames, maxFrames);
            Array.Copy(items[i].Values, 0, values, i * width * dims, frames * dims);
            for (var t = frames; t < width; t++) padding[i * width + t] = true;
        }
        return (torch.tensor(values, [items.Count, width, dims]), torch.tensor(padding, [items.Count, width]));
    }
}
