using System.Globalization;
using System.Text.Json.Nodes;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Torch;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// `bench encoders`: a base-size HuBERT (12 layers, 768 wide, HF's hubert-base config) with random
/// weights, forward over a batch of 4 x 4 s of audio, on our engine (loaded from an HF-layout
/// folder) and on torchaudio's own HuBERT with the same weights, fp32 and bf16 autocast. Each side
/// runs alone in its own process, in turns, as in `bench engine`.
/// </summary>
public static class EncodersBenchmark
{
    public static int Run(string repositoryRoot, int rounds, int forwardsPerRound, int batch, double seconds, TextWriter output)
    {
        var invariant = CultureInfo.InvariantCulture;
        var folder = Directory.CreateTempSubdirectory("emotionlab-bench-hubert-").FullName;
        try
        {
            WriteHubertBase(folder);
            var script = Path.Combine(repositoryRoot, "tools", "bench_encoders.py");
            string[] arguments = [folder, batch.ToString(invariant), seconds.ToString(invariant)];
            (string Name, Func<EnginePeer> Start, string Command)[] sides =
            [
                ("csharp", () => EnginePeer.CSharpVerb("encoders-peer", arguments), "hubert"),
                ("csharp_bf16", () => EnginePeer.CSharpVerb("encoders-peer", arguments), "hubert_bf16"),
                ("pytorch", () => EnginePeer.PyTorch(script, arguments), "hubert"),
                ("pytorch_bf16", () => EnginePeer.PyTorch(script, arguments), "hubert_bf16"),
            ];
            var times = sides.ToDictionary(s => s.Name, _ => new List<double>());
            var info = new Dictionary<string, string[]>();
            var outputs = new Dictionary<string, double[]>();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, start, command) in sides)
                {
                    using var peer = start();
                    info[name] = peer.Ask("info").Split(' ');
                    if (round == 0 && !name.EndsWith("_bf16")) outputs[name] = peer.Ask("output").Split(' ').Select(v => double.Parse(v, invariant)).ToArray();
                    peer.Measure(command, 2); // warm-up, not counted
                    times[name].AddRange(peer.Measure(command, forwardsPerRound).Select(f => f[0]));
                }
            }
            double Median(string side) => Statistics.Median(times[side].ToArray());
            output.WriteLine($"hubert_parameters.csharp: {info["csharp"][0]}");
            output.WriteLine($"hubert_parameters.pytorch: {info["pytorch"][0]}");
            output.WriteLine($"torch_threads.csharp: {info["csharp"][1]}");
            output.WriteLine($"torch_threads.pytorch: {info["pytorch"][1]}");
            output.WriteLine(string.Create(invariant, $"input: {batch} x {seconds:F1} s of 16 kHz audio"));
            var difference = outputs["csharp"].Skip(1).Zip(outputs["pytorch"].Skip(1), (a, b) => Math.Abs(a - b)).Max();
            output.WriteLine(string.Create(invariant, $"hubert_first_values_max_abs_diff: {difference:E2} (max |h| {outputs["pytorch"][0]:F3})"));
            foreach (var (name, _, _) in sides) output.WriteLine(string.Create(invariant, $"hubert_forward_ms.{name}.median: {Median(name):F1} ms"));
            output.WriteLine(string.Create(invariant, $"hubert_forward_ratio: {Median("csharp") / Median("pytorch"):F3}"));
            output.WriteLine(string.Create(invariant, $"hubert_forward_ratio_bf16: {Median("csharp_bf16") / Median("pytorch_bf16"):F3}"));
            output.WriteLine(string.Create(invariant, $"hubert_bf16_speedup.csharp: {Median("csharp") / Median("csharp_bf16"):F2}"));
            output.WriteLine(string.Create(invariant, $"hubert_bf16_speedup.pytorch: {Median("pytorch") / Median("pytorch_bf16"):F2}"));
            output.WriteLine($"forwards_measured: {times["csharp"].Count} per side, {rounds} rounds");
            output.WriteLine("method: each side ran alone in its own process (started for its turn, ended before the next), with the same glibc malloc settings, two warm-up forwards per turn not counted; no grad");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // HF's hubert-base-ls960 sizes with our random initialisation, saved in HF's layout.
    private static void WriteHubertBase(string folder)
    {
        var config = new PretrainedConfig(new JsonObject
        {
            ["model_type"] = "hubert", ["architectures"] = new JsonArray("HubertModel"), ["hidden_size"] = 768, ["num_hidden_layers"] = 12,
            ["num_attention_heads"] = 12, ["intermediate_size"] = 3072, ["feat_extract_norm"] = "group", ["conv_bias"] = false,
            ["do_stable_layer_norm"] = false, ["feat_proj_layer_norm"] = true,
        });
        config.Write(Path.Combine(folder, ModelFolder.ConfigFile));
        torch.manual_seed(1);
        using var model = PretrainedArchitectures.Create(config, folder);
        Safetensors.Save(Path.Combine(folder, ModelFolder.WeightsFile), model.state_dict());
    }
}
