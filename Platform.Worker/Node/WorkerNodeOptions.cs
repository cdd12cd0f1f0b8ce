using EmotionLab.Models.Experiments;
using EmotionLab.Worker.Queue;

namespace EmotionLab.Worker.Node;

/// <summary>
/// A worker node's configuration (section "Worker"): how many runs it trains at once and on which
/// devices, where the artifacts are, and how it treats cancels. Slots default to one per device.
/// </summary>
public sealed class WorkerNodeOptions
{
    public const string Section = "Worker";

    /// <summary>Unique within the cluster; also the name of its Hangfire server. Default: host name and process id.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Runs trained at once (its Hangfire server's worker count); 0 means one per device.</summary>
    public int Slots { get; set; }

    /// <summary>
    /// ["cpu"] or ["cuda:0", "cuda:1"]; slots are spread over them. Empty by default, because the
    /// configuration binder appends to an array it finds filled: ["cpu"] here plus Worker__Devices__0
    /// = cuda:0 would give a GPU box a CPU slot. <see cref="EffectiveDevices"/> is what the node uses.
    /// </summary>
    public string[] Devices { get; set; } = [];

    /// <summary>Corpora, feature caches, checkpoints and logs; shared by every node of a cluster.</summary>
    public string ArtifactRoot { get; set; } = "artifacts";

    /// <summary>How long a trainer may take to stop on its own after a cancel before it is killed.</summary>
    public double CancelGraceSeconds { get; set; } = 10;

    public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>
    /// The queues it takes runs from (<see cref="RunQueues"/>, which says in what order). Empty: "gpu"
    /// when it has a CUDA device, else "cpu", and "shared" (runs that ask for no device kind).
    /// </summary>
    public string[] Queues { get; set; } = [];

    /// <summary>How often the node looks for runs whose node has died (<see cref="AbandonedJobRecovery"/>).</summary>
    public double RecoverySweepSeconds { get; set; } = 5;

    public string[] EffectiveDevices => Devices.Length > 0 ? Devices : ["cpu"];

    public int EffectiveSlots => Slots > 0 ? Slots : EffectiveDevices.Length;

    public string[] EffectiveQueues => Queues.Length > 0 ? Queues : RunQueues.ForNode(EffectiveDevices);

    public void Validate()
    {
        foreach (var device in EffectiveDevices)
            if (device != "cpu" && !(device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device.AsSpan(5), out _)))
                throw new ArgumentException($"Worker:Devices has '{device}': each device is \"cpu\" or \"cuda:N\"");
        if (Slots < 0) throw new ArgumentException($"Worker:Slots is {Slots}: give a positive number, or 0 for one per device");
        foreach (var queue in Queues)
            if (queue is not (RunQueues.Gpu or RunQueues.Cpu or RunQueues.Shared))
                throw new ArgumentException($"Worker:Queues has '{queue}': each queue is {RunQueues.Gpu}, {RunQueues.Cpu} or {RunQueues.Shared}");
        if (Queues.Contains(RunQueues.Gpu) && DeviceKinds.Of(EffectiveDevices) != DeviceKinds.Gpu)
            throw new ArgumentException($"Worker:Queues has '{RunQueues.Gpu}' but Worker:Devices ({string.Join(", ", EffectiveDevices)}) has no CUDA device: a run that asks for a GPU would train on the CPU");
    }
}
