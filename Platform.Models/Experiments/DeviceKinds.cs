namespace EmotionLab.Models.Experiments;

/// <summary>
/// The kind of worker node a run asks for (<see cref="ExperimentSpec.Device"/>): a node with CUDA
/// devices, or one that trains on its CPU. A spec without one runs on whichever node is free.
/// </summary>
public static class DeviceKinds
{
    public const string Gpu = "gpu";
    public const string Cpu = "cpu";

    public static IReadOnlyList<string> All { get; } = [Gpu, Cpu];

    /// <summary>The kind of a node's device list: gpu when it has a CUDA device, cpu otherwise.</summary>
    public static string Of(IEnumerable<string> devices) =>
        devices.Any(d => d.StartsWith("cuda:", StringComparison.Ordinal)) ? Gpu : Cpu;
}
