namespace EmotionLab.Models.Torch;

public enum DeviceType
{
    CPU = 0,
    CUDA = 1,

    /// <summary>Shapes and dtypes without storage: a model built there costs no memory (inspecting, then loading weights in place).</summary>
    Meta = 2,
}

/// <summary>Where a tensor lives: "cpu" or "cuda:N".</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static readonly Device CPU = new(DeviceType.CPU);

    public static readonly Device Meta = new(DeviceType.Meta);

    public static Device CUDA(int index = 0) => new(DeviceType.CUDA, index);

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        if (value == "cpu") return CPU;
        if (value == "meta") return Meta;
        if (value == "cuda") return CUDA(0);
        if (value.StartsWith("cuda:") && int.TryParse(value.AsSpan(5), out var index) && index >= 0) return CUDA(index);
        throw new ArgumentException($"'{text}' is not a device: use cpu, cuda or cuda:N.", nameof(text));
    }

    public override string ToString() => Type switch { DeviceType.CPU => "cpu", DeviceType.Meta => "meta", _ => $"cuda:{Math.Max(Index, 0)}" };
}
