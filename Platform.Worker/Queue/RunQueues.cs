using EmotionLab.Models.Experiments;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// The Hangfire queues runs wait in, by the kind of node they need (<see cref="ExperimentSpec.Device"/>).
/// A node serves its own kind's queue and the shared one. Hangfire.PostgreSql fetches a node's
/// queues in name order (then oldest job first), so "shared" sorting after "cpu" and "gpu" makes a
/// node take the runs only its kind can train before the runs any node could take.
/// </summary>
public static class RunQueues
{
    public const string Gpu = DeviceKinds.Gpu;
    public const string Cpu = DeviceKinds.Cpu;
    public const string Shared = "shared";

    /// <summary>The queue of a run whose spec asks for <paramref name="device"/> (null: any node).</summary>
    public static string For(string? device) => device ?? Shared;

    /// <summary>What a node with these devices serves unless configured otherwise: its kind, then shared.</summary>
    public static string[] ForNode(IEnumerable<string> devices) => [DeviceKinds.Of(devices), Shared];
}
