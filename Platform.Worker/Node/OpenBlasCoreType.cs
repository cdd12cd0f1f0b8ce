using System.Runtime.InteropServices;

namespace EmotionLab.Worker.Node;

/// <summary>
/// The OpenBLAS kernel family a CPU can run, from its feature flags. Debian's OpenBLAS picks its
/// kernels by CPU model, and on a virtual CPU that reports no known model ("Intel(R) Xeon(R)
/// Processor") it falls back to the SSE3 Prescott kernels: libtorch's matrix products then run at
/// about a quarter of the speed (9.8 against 44 GFLOP/s on one core here). Naming the family by
/// what the CPU can do (OPENBLAS_CORETYPE) avoids that.
/// </summary>
public static class OpenBlasCoreType
{
    private static readonly string[] SkylakeXFlags = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"];
    private static readonly string[] HaswellFlags = ["avx2", "fma"];

    /// <summary>SkylakeX with AVX-512 (F, CD, BW, DQ, VL), Haswell with AVX2 and FMA, else null (OpenBLAS's own choice).</summary>
    public static string? For(IReadOnlySet<string> flags) =>
        SkylakeXFlags.All(flags.Contains) ? "SkylakeX" : HaswellFlags.All(flags.Contains) ? "Haswell" : null;

    /// <summary>The flags of the first processor in /proc/cpuinfo's text (all processors of a machine share them).</summary>
    public static IReadOnlySet<string> FlagsOf(string cpuinfo)
    {
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == "flags")
                return line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }
        return new HashSet<string>();
    }

    /// <summary>This machine's family, or null off Linux or when the flags name none.</summary>
    public static string? OfThisMachine() =>
        File.Exists("/proc/cpuinfo") ? For(FlagsOf(File.ReadAllText("/proc/cpuinfo"))) : null;

    /// <summary>
    /// Sets OPENBLAS_CORETYPE for this process (unless set) before libtorch loads OpenBLAS, which
    /// reads it once. Through libc: .NET's Environment.SetEnvironmentVariable is not seen by native code.
    /// </summary>
    public static void ApplyToThisProcess()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TrainerEnvironment.OpenBlasCore))) return;
        if (OfThisMachine() is { } coreType)
        {
            setenv(TrainerEnvironment.OpenBlasCore, coreType, 0);
            Environment.SetEnvironmentVariable(TrainerEnvironment.OpenBlasCore, coreType); // and for child processes (the bench's PyTorch peer)
        }
    }

    [DllImport("libc", CharSet = CharSet.Ansi)] // Ansi is UTF-8 on Unix
    private static extern int setenv(string name, string value, int overwrite);
}
