using System.Diagnostics;
using System.Globalization;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Wav2Vec2;
using EmotionLab.Models.Torch;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// `bench encoders-peer FOLDER BATCH SECONDS`: our side of `bench encoders`, speaking
/// tools/bench_encoders.py's protocol (info, hubert N, hubert_bf16 N, output, quit) over a HuBERT
/// folder loaded through our loader, in a process of its own.
/// </summary>
public static class EncoderPeerLoop
{
    public static int Run(string folder, int batch, double seconds, TextReader input, TextWriter output)
    {
        using var model = (Wav2Vec2Model)PretrainedArchitectures.Load(folder);
        // The same audio as the Python side: seeded N(0, 0.1^2) noise (torch.randn on one generator).
        torch.manual_seed(0);
        using var audio = torch.randn([batch, (long)(seconds * 16_000)]).mul(0.1).DetachFromDisposeScope();
        string Format(IEnumerable<double> values) => string.Join(' ', values.Select(v => v.ToString("F6", CultureInfo.InvariantCulture)));
        return PeerProtocol.Serve(input, output, parts =>
        {
            if (parts[0] == "info") return $"{model.parameter_count()} {torch.get_num_threads()} libtorch-binding";
            if (parts[0] == "output")
            {
                using var scope = torch.NewDisposeScope();
                using var _ = torch.no_grad();
                var last = model.forward(audio).LastHiddenState;
                return Format([last.abs().max().item(), .. last.flatten().narrow(0, 0, 4).data<float>().Select(v => (double)v)]);
            }
            var times = new List<double>();
            for (var i = 0; i < int.Parse(parts[1], CultureInfo.InvariantCulture); i++)
            {
                var watch = Stopwatch.StartNew();
                using (var scope = torch.NewDisposeScope())
                using (torch.no_grad())
                using (parts[0] == "hubert_bf16" ? torch.autocast(ScalarType.BFloat16) : null)
                    _ = model.forward(audio).LastHiddenState.to(ScalarType.Float32).sum().item();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            return string.Join(' ', times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)));
        });
    }
}
