using EmotionLab.Models.Audio;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Corpora.EmoSynth;
using EmotionLab.Models.Text;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;
using Xunit.Abstractions;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Tests.EmoSynth;

/// <summary>
/// EmoSynth carries emotion in both modalities, partly: a linear classifier over bag-of-words and
/// one over log-mel statistics each beat the majority class on held-out dialogues, and one over
/// both beats each of them.
/// </summary>
public sealed class EmoSynthLearnabilityTests(ITestOutputHelper output) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("emosynth-learn-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Text_alone_and_audio_alone_are_each_partial_and_together_better()
    {
        var options = new EmoSynthOptions(150, Seed: 11);
        await EmoSynthGenerator.GenerateAsync(root, options);
        var plan = DialoguePlanner.Plan(options);
        var labels = LabelSets.Meld7.Labels;
        var train = plan.Where(u => u.Split == "train").ToArray();
        var heldOut = plan.Where(u => u.Split != "train").ToArray();

        var vocabulary = Vocabulary.Build(train.Select(u => u.Text), speakerTokens: 0);
        var logMel = new LogMelSpectrogram();
        float[] Words(PlannedUtterance u)
        {
            var v = new float[vocabulary.Count];
            foreach (var id in vocabulary.Encode(u.Text)) v[id] = 1;
            return v;
        }
        float[] MelStatistics(PlannedUtterance u)
        {
            var wav = Path.Combine(root, MeldLayoutWriter.MediaFolder(u.Split), MeldLayoutWriter.MediaName(u.DialogueId, u.UtteranceId, ".wav"));
            var (samples, rate) = WavReader.ReadMono(wav);
            var mel = logMel.Compute(Resampler.Resample(samples, rate));
            var stats = new float[2 * mel.Dimensions];
            for (var m = 0; m < mel.Dimensions; m++)
            {
                double sum = 0, square = 0;
                for (var f = 0; f < mel.Frames; f++) { sum += mel[f, m]; square += mel[f, m] * mel[f, m]; }
                var mean = sum / mel.Frames;
                (stats[m], stats[mel.Dimensions + m]) = ((float)mean, (float)Math.Sqrt(Math.Max(0, square / mel.Frames - mean * mean)));
            }
            return stats;
        }

        var majority = heldOut.Count(u => u.Emotion == "neutral") / (double)heldOut.Length;
        var text = HeldOutAccuracy(train, heldOut, Words, labels);
        var audio = HeldOutAccuracy(train, heldOut, MelStatistics, labels);
        var both = HeldOutAccuracy(train, heldOut, u => [.. Words(u), .. MelStatistics(u)], labels);
        output.WriteLine($"held-out accuracy over {heldOut.Length} utterances: majority {majority:P1}, text {text:P1}, audio {audio:P1}, both {both:P1}");

        Assert.True(text > majority + 0.10, $"text {text:P1} vs majority {majority:P1}");
        Assert.True(audio > majority + 0.05, $"audio {audio:P1} vs majority {majority:P1}");
        Assert.True(text < 0.95 && audio < 0.95, "one modality alone should not be enough");
        Assert.True(both > Math.Max(text, audio) + 0.02, $"both {both:P1} vs text {text:P1}, audio {audio:P1}");
    }

    // Multinomial logistic regression on standardised features, trained full-batch with Adam.
    private static double HeldOutAccuracy(PlannedUtterance[] train, PlannedUtterance[] test, Func<PlannedUtterance, float[]> features, IReadOnlyList<string> labels)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        Tensor Matrix(PlannedUtterance[] set)
        {
            var rows = set.Select(features).ToArray();
            return torch.tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
        }
        Tensor Targets(PlannedUtterance[] set) => torch.tensor(set.Select(u => (long)labels.ToList().IndexOf(u.Emotion)).ToArray());
        var (x, y) = (Matrix(train), Targets(train));
        var mean = x.mean(0, keepdim: true);
        var std = x.std(0, keepdim: true) + 1e-3;
        x = (x - mean) / std;
        using var model = new Linear(x.size(1), labels.Count);
        using var optimizer = new torch.optim.Adam(model.parameters(), lr: 0.02, weight_decay: 1e-3);
        for (var step = 0; step < 300; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            optimizer.zero_grad();
            functional.cross_entropy(model.forward(x), y).backward();
            optimizer.step();
        }
        using (torch.no_grad())
        {
            var predicted = model.forward((Matrix(test) - mean) / std).argmax(1).data<long>();
            var matrix = new ConfusionMatrix(labels);
            matrix.Add(Targets(test).data<long>(), predicted);
            return matrix.Accuracy();
        }
    }
}
