using EmotionLab.Worker.Node;

namespace EmotionLab.Worker.Tests.Node;

/// <summary>What a trainer child is told about threads and OpenBLAS kernels, from the node's cores, slots and CPU flags.</summary>
public sealed class TrainerEnvironmentTests
{
    // /proc/cpuinfo as this project's CI machine (a virtual Xeon with no model name OpenBLAS knows) writes it, shortened.
    private const string VirtualXeon = """
        processor	: 0
        vendor_id	: GenuineIntel
        model name	: Intel(R) Xeon(R) Processor
        flags		: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl
        bogomips	: 4200.00

        processor	: 1
        flags		: fpu sse
        """;

    [Fact]
    public void The_kernel_family_follows_the_cpu_flags()
    {
        Assert.Equal("SkylakeX", OpenBlasCoreType.For(OpenBlasCoreType.FlagsOf(VirtualXeon)));
        Assert.Equal("Haswell", OpenBlasCoreType.For(new HashSet<string> { "sse2", "avx", "avx2", "fma", "avx512f" })); // AVX-512 without BW/VL/DQ/CD is not enough
        Assert.Null(OpenBlasCoreType.For(new HashSet<string> { "sse2", "avx", "avx2" })); // AVX2 without FMA: OpenBLAS decides
        Assert.Empty(OpenBlasCoreType.FlagsOf("processor\t: 0\nmodel name\t: ARMv8\n"));
    }

    [Fact]
    public void Slots_share_the_cores_and_the_operators_settings_win()
    {
        var none = (Func<string, string?>)(_ => null);
        Assert.Equal(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1", ["OPENBLAS_NUM_THREADS"] = "1", ["OPENBLAS_CORETYPE"] = "SkylakeX" },
            TrainerEnvironment.For(cores: 2, slots: 2, "SkylakeX", none));
        Assert.Equal(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "5", ["OPENBLAS_NUM_THREADS"] = "5" },
            TrainerEnvironment.For(cores: 16, slots: 3, coreType: null, none));
        Assert.Equal("1", TrainerEnvironment.For(cores: 2, slots: 4, null, none)["OMP_NUM_THREADS"]); // never zero threads

        var operatorSet = new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "8", ["OPENBLAS_CORETYPE"] = "Haswell", ["OPENBLAS_NUM_THREADS"] = "" };
        Assert.Equal(new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = "2" },
            TrainerEnvironment.For(cores: 4, slots: 2, "SkylakeX", v => operatorSet.GetValueOrDefault(v)));
    }
}
