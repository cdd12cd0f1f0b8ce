using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Audio;

/// <summary>
/// Frame-level features: <see cref="Frames"/> rows of <see cref="Dimensions"/> values, row-major
/// (a log-mel is frames x 80, time first, as the models consume it).
/// </summary>
public sealed class FeatureMatrix
{
    public int Frames { get; }
    public int Dimensions { get; }
    public float[] Values { get; }

    public FeatureMatrix(int frames, int dimensions, float[]? values = null)
    {
        if (frames < 0) throw new ArgumentOutOfRangeException(nameof(frames), frames, "the frame count cannot be negative");
        if (dimensions <= 0) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "the dimension must be positive");
        values ??= new float[(long)frames * dimensions];
        if (values.LongLength != (long)frames * dimensions)
            throw new ArgumentException($"{values.Length} values do not make {frames} x {dimensions}", nameof(values));
        (Frames, Dimensions, Values) = (frames, dimensions, values);
    }

    public float this[int frame, int dimension]
    {
        get => Values[frame * Dimensions + dimension];
        set => Values[frame * Dimensions + dimension] = value;
    }

    public Span<float> Row(int frame) => Values.AsSpan(frame * Dimensions, Dimensions);

    /// <summary>A (frames, dimensions) float32 tensor on <paramref name="device"/> (a copy).</summary>
    public Tensor ToTensor(Device? device = null) => torch.tensor(Values, [Frames, Dimensions], device);
}
