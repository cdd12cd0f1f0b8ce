using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EmotionLab.Models.Audio;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// `bench features`: 16 kHz wav -> 80-bin log-mel on one core, our <see cref="LogMelSpectrogram"/>
/// against torchaudio (tools/bench_features.py, one thread) on the same files, alternating in
/// rounds; prints throughput in x real time (median over repetitions), the ratio and the largest
/// difference of the log values. The files are generated (speech-like harmonic glides with pauses,
/// and noise), written as 16-bit PCM and read back by each side before timing.
/// </summary>
public static class FeaturesBenchmark
{
    public static int Run(string repositoryRoot, int rounds, int repetitions, double seconds, TextWriter output)
    {
        var invariant = CultureInfo.InvariantCulture;
        var folder = Directory.CreateTempSubdirectory("emotionlab-bench-features-").FullName;
        try
        {
            var files = WriteClips(folder, seconds);
            var clips = files.Select(f => (name: Path.GetFileNameWithoutExtension(f), samples: WavReader.ReadMono(f).samples)).ToArray();
            var audioSeconds = clips.Sum(c => c.samples.Length) / 16_000.0;

            using var peer = EnginePeer.PyTorch(Path.Combine(repositoryRoot, "tools", "bench_features.py"));
            var info = peer.Ask("info").Split(' ');
            var theirSeconds = double.Parse(peer.Ask($"load {folder}"), invariant);
            if (Math.Abs(theirSeconds - audioSeconds) > 1e-6) throw new InvalidOperationException($"torchaudio read {theirSeconds} s of audio, we read {audioSeconds} s");

            var extractor = new LogMelSpectrogram();
            double OurPass()
            {
                var watch = Stopwatch.StartNew();
                foreach (var (_, samples) in clips) extractor.Compute(samples);
                return watch.Elapsed.TotalSeconds;
            }

            // Warm-up on both sides (JIT, allocator, torch dispatch), not counted.
            OurPass();
            peer.Measure("logmel", 1);
            var (ours, theirs) = (new List<double>(), new List<double>());
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < repetitions; i++) ours.Add(OurPass());
                theirs.AddRange(peer.Measure("logmel", repetitions).Select(t => t[0]));
            }

            // Values: torchaudio's log-mel of every file against ours.
            if (peer.Ask($"dump {folder}") != "ok") throw new InvalidOperationException("the torchaudio side could not write its log-mels");
            double maxDiff = 0, maxDiffAboveFloor = 0;
            long values = 0;
            foreach (var (name, samples) in clips)
            {
                var expected = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(folder, name + ".bin")));
                var actual = extractor.Compute(samples).Values;
                if (expected.Length != actual.Length) throw new InvalidOperationException($"{name}: torchaudio gives {expected.Length} values, we give {actual.Length}");
                for (var i = 0; i < actual.Length; i++)
                {
                    var diff = Math.Abs((double)expected[i] - actual[i]);
                    maxDiff = Math.Max(maxDiff, diff);
                    if (expected[i] >= -8) maxDiffAboveFloor = Math.Max(maxDiffAboveFloor, diff);
                }
                values += actual.Length;
            }

            var (ourXrt, theirXrt) = (audioSeconds / Statistics.Median(ours), audioSeconds / Statistics.Median(theirs));
            output.WriteLine(string.Create(invariant, $"logmel_xrt.csharp: {ourXrt:F1}"));
            output.WriteLine(string.Create(invariant, $"logmel_xrt.torchaudio: {theirXrt:F1}"));
            output.WriteLine(string.Create(invariant, $"logmel_ratio: {ourXrt / theirXrt:F3}"));
            output.WriteLine(string.Create(invariant, $"logmel_max_abs_diff: {maxDiff:G3}"));
            output.WriteLine(string.Create(invariant, $"logmel_max_abs_diff.log_above_-8: {maxDiffAboveFloor:G3}"));
            output.WriteLine(string.Create(invariant, $"logmel_ms.csharp.median: {Statistics.Median(ours) * 1000:F1} ms"));
            output.WriteLine(string.Create(invariant, $"logmel_ms.torchaudio.median: {Statistics.Median(theirs) * 1000:F1} ms"));
            output.WriteLine(string.Create(invariant, $"audio_seconds: {audioSeconds:F1} s in {clips.Length} files, {values} log-mel values"));
            output.WriteLine($"torchaudio_version: {info[1]} (torch {info[0]}, {info[2]} thread)");
            output.WriteLine($"passes_measured: {ours.Count} per side, {rounds} alternating rounds");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Six clips of seconds/6 each: four speech-like (harmonic glides, syllable envelope, pauses), two noise.</summary>
    private static string[] WriteClips(string folder, double seconds)
    {
        const int rate = 16_000;
        var random = new Random(20261121);
        var paths = new List<string>();
        for (var c = 0; c < 6; c++)
        {
            var samples = new float[(int)(seconds / 6 * rate)];
            var f0 = 100 + 40 * c;
            double phase = 0;
            for (var i = 0; i < samples.Length; i++)
            {
                var t = (double)i / rate;
                if (c >= 4) { samples[i] = (float)(0.2 * (2 * random.NextDouble() - 1)); continue; }
                phase += 2 * Math.PI * f0 * (1 + 0.2 * Math.Sin(2 * Math.PI * 0.5 * t)) / rate;
                var envelope = Math.Max(0, Math.Sin(2 * Math.PI * 2 * t)); // syllables and pauses
                double x = 0;
                for (var k = 1; k <= 12; k++) x += Math.Sin(k * phase) / k;
                samples[i] = (float)(0.15 * envelope * x + 0.002 * (2 * random.NextDouble() - 1));
            }
            var path = Path.Combine(folder, $"clip{c}.wav");
            WavWriter.WritePcm16(path, samples, rate);
            paths.Add(path);
        }
        return [.. paths];
    }
}
