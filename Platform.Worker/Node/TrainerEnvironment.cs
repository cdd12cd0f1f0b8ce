namespace EmotionLab.Worker.Node;

/// <summary>
/// The math-library settings a trainer child gets. A node's slots share its cores: each trainer
/// gets cores / slots threads, because libtorch's and OpenBLAS's defaults (every core each) make
/// two trainers on two cores fight over them and train at about two thirds of the speed. And
/// OpenBLAS gets the kernels the CPU can run (<see cref="OpenBlasCoreType"/>). A variable already
/// set in the node's environment is the operator's choice and is left alone.
/// </summary>
public static class TrainerEnvironment
{
    public const string OmpThreads = "OMP_NUM_THREADS";
    public const string OpenBlasThreads = "OPENBLAS_NUM_THREADS";
    public const string OpenBlasCore = "OPENBLAS_CORETYPE";

    public static IReadOnlyList<string> Variables { get; } = [OmpThreads, OpenBlasThreads, OpenBlasCore];

    /// <param name="inherited">the node's own environment variable, or null when unset</param>
    public static IReadOnlyDictionary<string, string> For(int cores, int slots, string? coreType, Func<string, string?> inherited)
    {
        var threads = Math.Max(1, cores / Math.Max(1, slots)).ToString();
        var wanted = new Dictionary<string, string?> { [OmpThreads] = threads, [OpenBlasThreads] = threads, [OpenBlasCore] = coreType };
        return wanted.Where(w => w.Value is not null && string.IsNullOrEmpty(inherited(w.Key)))
            .ToDictionary(w => w.Key, w => w.Value!);
    }

    /// <summary>This node's settings: its processor count, its slots and this machine's OpenBLAS family.</summary>
    public static IReadOnlyDictionary<string, string> ForNode(WorkerNodeOptions options) =>
        For(Environment.ProcessorCount, options.EffectiveSlots, CoreTypeOfThisMachine.Value, Environment.GetEnvironmentVariable);

    private static readonly Lazy<string?> CoreTypeOfThisMachine = new(OpenBlasCoreType.OfThisMachine);
}
