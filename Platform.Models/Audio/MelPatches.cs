using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Audio;

/// <summary>
/// Cuts a (frames x mels) log-mel into square patches for the ViT path of the joint-vector family:
/// patch p covers frames [t·stride, t·stride + size) and mels [f·size, f·size + size), flattened
/// time-major (row r of the patch = one frame's size mel values), so a patch is size² values.
/// Patches are ordered time block first, then mel block: index = t·(mels/size) + f.
///
/// <para>Time is strided by <c>stride</c> (default = size: non-overlapping). When the last patch
/// would run past the end, the frames are padded with <c>padValue</c> (default log(1e-6), what the
/// log-mel gives for silence, so padding reads as silence rather than as loud 0-valued bins) up to
/// the next whole patch; a clip shorter than one patch gives one padded patch. The mel axis must
/// divide into whole patches (80 = 5 x 16).</para>
/// </summary>
public static class MelPatches
{
    public static readonly float SilencePad = MathF.Log(1e-6f);

    /// <summary>Number of time blocks for <paramref name="frames"/> frames.</summary>
    public static int TimeBlocks(int frames, int size = 16, int? stride = null)
    {
        var step = stride ?? size;
        return frames <= size ? 1 : (frames - size + step - 1) / step + 1;
    }

    /// <summary>A (num_patches, size²) float32 tensor.</summary>
    public static Tensor ToPatches(FeatureMatrix logMel, int size = 16, int? stride = null, float? padValue = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(logMel);
        var step = stride ?? size;
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "the patch size must be positive");
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(stride), step, "the stride must be positive");
        if (logMel.Dimensions % size != 0)
            throw new ArgumentException($"{logMel.Dimensions} mel bins do not split into patches of {size}", nameof(logMel));
        var pad = padValue ?? SilencePad;
        var timeBlocks = TimeBlocks(logMel.Frames, size, step);
        var melBlocks = logMel.Dimensions / size;
        var values = new float[(long)timeBlocks * melBlocks * size * size];
        var o = 0;
        for (var t = 0; t < timeBlocks; t++)
            for (var f = 0; f < melBlocks; f++)
                for (var r = 0; r < size; r++)
                {
                    var frame = t * step + r;
                    if (frame < logMel.Frames) logMel.Row(frame).Slice(f * size, size).CopyTo(values.AsSpan(o, size));
                    else values.AsSpan(o, size).Fill(pad);
                    o += size;
                }
        return torch.tensor(values, [timeBlocks * melBlocks, size * size], device);
    }
}
