using System.Diagnostics;
using System.Globalization;
using EmotionLab.Models.Torch;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// `bench engine-peer`: our engine's side of `bench engine`, speaking tools/bench_engine.py's
/// protocol on stdin/stdout (info, matmul N, bcaf N, bcaf_bf16 N, quit) so the benchmark can run it
/// in a process of its own, never beside the PyTorch side.
/// </summary>
public static class EnginePeerLoop
{
    public static int Run(TextReader input, TextWriter output)
    {
        using var workload = new BcafStepWorkload();
        using var a = torch.randn([1024, 1024], requires_grad: true);
        using var b = torch.randn([1024, 1024], requires_grad: true);
        return PeerProtocol.Serve(input, output, parts =>
        {
            if (parts[0] == "info") return $"{workload.ParameterCount} {torch.get_num_threads()} libtorch-binding";
            var figures = new List<string>();
            for (var i = 0; i < int.Parse(parts[1], CultureInfo.InvariantCulture); i++)
            {
                if (parts[0] == "matmul") figures.Add(Matmul(a, b).ToString("F3", CultureInfo.InvariantCulture));
                else figures.Add(string.Join('/', workload.Step(bf16: parts[0] == "bcaf_bf16").Select(v => v.ToString("F3", CultureInfo.InvariantCulture))));
            }
            return string.Join(' ', figures);
        });
    }

    // 1024^3 forward + backward: three GEMMs.
    private static double Matmul(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        a.zero_grad();
        b.zero_grad();
        var watch = Stopwatch.StartNew();
        a.matmul(b).sum().backward();
        return 3 * 2 * Math.Pow(1024, 3) / watch.Elapsed.TotalSeconds / 1e9;
    }
}
