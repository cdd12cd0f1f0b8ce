using System.Diagnostics;
using System.Globalization;
using EmotionLab.Models.Torch;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// `bench engine`: 1024^3 matmul forward+backward and the BCAF training step, on our engine and
/// on PyTorch eager over the same libtorch, alternating in rounds; prints medians and the ratio.
/// </summary>
public static class EngineBenchmark
{
    public static int Run(string repositoryRoot, int rounds, int stepsPerRound, TextWriter output)
    {
        var invariant = CultureInfo.InvariantCulture;
        using var peer = new PyTorchPeer(Path.Combine(repositoryRoot, "tools", "bench_engine.py"));
        var info = peer.Ask("info").Split(' ');

        using var workload = new BcafStepWorkload();
        using var a = torch.randn([1024, 1024], requires_grad: true);
        using var b = torch.randn([1024, 1024], requires_grad: true);

        double MatmulGflops()
        {
            using var scope = torch.NewDisposeScope();
            a.zero_grad();
            b.zero_grad();
            var watch = Stopwatch.StartNew();
            a.matmul(b).sum().backward();
            return 3 * 2 * Math.Pow(1024, 3) / watch.Elapsed.TotalSeconds / 1e9;
        }

        // Warm-up on both sides (allocator pools, OpenBLAS threads), not counted.
        MatmulGflops();
        workload.Step();
        peer.Measure("matmul", 1);
        peer.Measure("bcaf", 1);

        var (ourMatmul, theirMatmul) = (new List<double>(), new List<double>());
        var (ourStep, theirStep) = (new List<double[]>(), new List<double[]>());
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < 5; i++) ourMatmul.Add(MatmulGflops());
            theirMatmul.AddRange(peer.Measure("matmul", 5).Select(f => f[0]));
            for (var i = 0; i < stepsPerRound; i++) ourStep.Add(workload.Step());
            theirStep.AddRange(peer.Measure("bcaf", stepsPerRound));
        }

        double Phase(List<double[]> steps, int phase) => Statistics.Median(steps.Select(s => s[phase]).ToArray());
        var (ourMedian, theirMedian) = (Phase(ourStep, 0), Phase(theirStep, 0));
        output.WriteLine($"bcaf_parameters.csharp: {workload.ParameterCount}");
        output.WriteLine($"bcaf_parameters.pytorch: {info[0]}");
        output.WriteLine($"torch_threads.csharp: {torch.get_num_threads()}");
        output.WriteLine($"torch_threads.pytorch: {info[1]}");
        output.WriteLine($"pytorch_version: {info[2]}");
        output.WriteLine(string.Create(invariant, $"matmul_gflops.csharp: {Statistics.Median(ourMatmul):F1}"));
        output.WriteLine(string.Create(invariant, $"matmul_gflops.pytorch: {Statistics.Median(theirMatmul):F1}"));
        output.WriteLine(string.Create(invariant, $"matmul_ratio: {Statistics.Median(ourMatmul) / Statistics.Median(theirMatmul):F3}"));
        output.WriteLine(string.Create(invariant, $"bcaf_step_ms.csharp.median: {ourMedian:F1} ms"));
        output.WriteLine(string.Create(invariant, $"bcaf_step_ms.pytorch.median: {theirMedian:F1} ms"));
        output.WriteLine(string.Create(invariant, $"bcaf_step_ratio: {ourMedian / theirMedian:F3}"));
        string[] phases = ["total", "forward", "backward", "optimizer"];
        for (var phase = 1; phase < phases.Length; phase++)
        {
            output.WriteLine(string.Create(invariant, $"bcaf_{phases[phase]}_ms.csharp.median: {Phase(ourStep, phase):F1} ms"));
            output.WriteLine(string.Create(invariant, $"bcaf_{phases[phase]}_ms.pytorch.median: {Phase(theirStep, phase):F1} ms"));
        }
        output.WriteLine($"bcaf_steps_measured: {ourStep.Count} per engine, {rounds} alternating rounds");
        return 0;
    }
}
