using System.Globalization;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// `bench engine`: 1024^3 matmul forward+backward and the BCAF training step on our engine
/// (float32 and bf16 mixed precision) and on PyTorch eager over the same libtorch. Each side runs
/// in a process of its own, started for its turn and ended before the next side starts, so no
/// engine is measured while the other's threads are alive or spinning; this process computes
/// nothing. Rounds alternate the sides; medians and ratios are printed.
/// </summary>
public static class EngineBenchmark
{
    private sealed record Side(string Name, Func<EnginePeer> Start, string MatmulCommand, string StepCommand);

    /// <param name="warmup">steps each turn runs before measuring: a fresh process pays page faults on its first steps (Adam's state is allocated lazily)</param>
    public static int Run(string repositoryRoot, int rounds, int stepsPerRound, int warmup, TextWriter output)
    {
        var invariant = CultureInfo.InvariantCulture;
        var script = Path.Combine(repositoryRoot, "tools", "bench_engine.py");
        Side[] sides =
        [
            new("csharp", () => EnginePeer.CSharp(), "matmul", "bcaf"),
            new("csharp_bf16", () => EnginePeer.CSharp(), "", "bcaf_bf16"),
            new("pytorch", () => EnginePeer.PyTorch(script), "matmul", "bcaf"),
            new("pytorch_bf16", () => EnginePeer.PyTorch(script), "", "bcaf_bf16"),
        ];
        var matmul = sides.ToDictionary(s => s.Name, _ => new List<double>());
        var steps = sides.ToDictionary(s => s.Name, _ => new List<double[]>());
        var info = new Dictionary<string, string[]>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var side in sides)
            {
                using var peer = side.Start();
                info[side.Name] = peer.Ask("info").Split(' ');
                // Warm-up (allocator pools, Adam's lazily allocated state, OpenBLAS threads, autocast's casts), not counted.
                if (side.MatmulCommand.Length > 0) peer.Measure(side.MatmulCommand, 2);
                peer.Measure(side.StepCommand, warmup);
                if (side.MatmulCommand.Length > 0) matmul[side.Name].AddRange(peer.Measure(side.MatmulCommand, 5).Select(f => f[0]));
                steps[side.Name].AddRange(peer.Measure(side.StepCommand, stepsPerRound));
            }
        }

        double Phase(string side, int phase) => Statistics.Median(steps[side].Select(s => s[phase]).ToArray());
        output.WriteLine($"bcaf_parameters.csharp: {info["csharp"][0]}");
        output.WriteLine($"bcaf_parameters.pytorch: {info["pytorch"][0]}");
        output.WriteLine($"torch_threads.csharp: {info["csharp"][1]}");
        output.WriteLine($"torch_threads.pytorch: {info["pytorch"][1]}");
        output.WriteLine($"openblas_threads: {Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS") ?? "OpenBLAS default (one per core)"}, both sides");
        output.WriteLine($"openblas_coretype: {Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "detected"}, both sides");
        output.WriteLine($"pytorch_version: {info["pytorch"][2]}");
        output.WriteLine(string.Create(invariant, $"matmul_gflops.csharp: {Statistics.Median(matmul["csharp"]):F1}"));
        output.WriteLine(string.Create(invariant, $"matmul_gflops.pytorch: {Statistics.Median(matmul["pytorch"]):F1}"));
        output.WriteLine(string.Create(invariant, $"matmul_ratio: {Statistics.Median(matmul["csharp"]) / Statistics.Median(matmul["pytorch"]):F3}"));
        foreach (var side in sides) output.WriteLine(string.Create(invariant, $"bcaf_step_ms.{side.Name}.median: {Phase(side.Name, 0):F1} ms"));
        output.WriteLine(string.Create(invariant, $"bcaf_step_ratio: {Phase("csharp", 0) / Phase("pytorch", 0):F3}"));
        output.WriteLine(string.Create(invariant, $"bcaf_step_ratio_bf16: {Phase("csharp_bf16", 0) / Phase("pytorch_bf16", 0):F3}"));
        output.WriteLine(string.Create(invariant, $"bcaf_bf16_speedup.csharp: {Phase("csharp", 0) / Phase("csharp_bf16", 0):F2}"));
        string[] phases = ["total", "forward", "backward", "optimizer"];
        for (var phase = 1; phase < phases.Length; phase++)
            foreach (var side in new[] { "csharp", "pytorch" })
                output.WriteLine(string.Create(invariant, $"bcaf_{phases[phase]}_ms.{side}.median: {Phase(side, phase):F1} ms"));
        output.WriteLine($"bcaf_steps_measured: {steps["csharp"].Count} per side, {rounds} rounds");
        output.WriteLine("method: each side ran alone in its own process (started for its turn, ended before the next), with the same glibc malloc settings, " +
                         "sides in turn csharp, csharp_bf16, pytorch, pytorch_bf16 each round; " +
                         $"{warmup} warm-up steps per turn not counted");
        return 0;
    }
}
