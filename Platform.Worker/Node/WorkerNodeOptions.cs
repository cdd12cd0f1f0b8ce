namespace EmotionLab.Worker.Node;

/// <summary>
/// A worker node's configuration (section "Worker"): how many runs it trains at once and on which
/// devices, where the artifacts are, and how it treats cancels. Slots default to one per device.
/// </summary>
public sealed class WorkerNodeOptions
{
    public const string Section = "Worker";

    /// <summary>Unique within the cluster; also the Quartz instance id. Default: host name and process id.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Runs trained at once (the Quartz thread pool size); 0 means one per device.</summary>
    public int Slots { get; set; }

    /// <summary>["cpu"] or ["cuda:0", "cuda:1"]; slots are spread over them.</summary>
    public string[] Devices { get; set; } = ["cpu"];

    /// <summary>Corpora, feature caches, checkpoints and logs; shared by every node of a cluster.</summary>
    public string ArtifactRoot { get; set; } = "artifacts";

    /// <summary>How long a trainer may take to stop on its own after a cancel before it is killed.</summary>
    public double CancelGraceSeconds { get; set; } = 10;

    public double HeartbeatSeconds { get; set; } = 5;

    /// <summary>How often the node looks for Running runs that the queue has lost (<see cref="Queue.OrphanedRunSweeper"/>).</summary>
    public double OrphanSweepSeconds { get; set; } = 30;

    public int EffectiveSlots => Slots > 0 ? Slots : Math.Max(1, Devices.Length);

    public void Validate()
    {
        if (Devices.Length == 0) throw new ArgumentException("Worker:Devices is empty: give [\"cpu\"] or CUDA devices such as [\"cuda:0\"]");
        foreach (var device in Devices)
            if (device != "cpu" && !(device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device.AsSpan(5), out _)))
                throw new ArgumentException($"Worker:Devices has '{device}': each device is \"cpu\" or \"cuda:N\"");
        if (Slots < 0) throw new ArgumentException($"Worker:Slots is {Slots}: give a positive number, or 0 for one per device");
    }
}
