using System.Globalization;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>`bench memory`: resident memory over BCAF training steps, first 100 steps vs the last 100.</summary>
public static class MemoryBenchmark
{
    public static int Run(int steps, TextWriter output)
    {
        if (steps < 200) throw new ArgumentOutOfRangeException(nameof(steps), steps, "memory needs at least 200 steps (first 100 vs last 100)");
        using var workload = new BcafStepWorkload();
        var samples = new double[steps];
        for (var step = 0; step < steps; step++)
        {
            workload.Step();
            samples[step] = ResidentMiB();
        }
        var first = samples.Take(100).Average();
        var last = samples.Skip(steps - 100).Average();
        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine($"memory_steps: {steps}");
        output.WriteLine(string.Create(invariant, $"rss_first100_mib: {first:F1}"));
        output.WriteLine(string.Create(invariant, $"rss_last100_mib: {last:F1}"));
        output.WriteLine(string.Create(invariant, $"rss_growth_percent: {(last - first) / first * 100:F2}"));
        return 0;
    }

    private static double ResidentMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }
}
