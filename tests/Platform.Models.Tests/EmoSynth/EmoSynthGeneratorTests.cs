using System.Security.Cryptography;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Corpora.EmoSynth;
using EmotionLab.Models.Tests.Corpora;

namespace EmotionLab.Models.Tests.EmoSynth;

public sealed class EmoSynthGeneratorTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("emosynth-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public async Task Same_seed_gives_identical_bytes_in_meld_layout_whatever_the_parallelism()
    {
        var (a, b, c) = (Path.Combine(root, "a"), Path.Combine(root, "b"), Path.Combine(root, "c"));
        var summary = await EmoSynthGenerator.GenerateAsync(a, new EmoSynthOptions(10, Seed: 3) { MinTurns = 2, MaxTurns = 3, Parallelism = 1 });
        await EmoSynthGenerator.GenerateAsync(b, new EmoSynthOptions(10, Seed: 3) { MinTurns = 2, MaxTurns = 3, Parallelism = 2 });
        await EmoSynthGenerator.GenerateAsync(c, new EmoSynthOptions(10, Seed: 4) { MinTurns = 2, MaxTurns = 3 });

        var hashes = Hashes(a);
        Assert.Equal(hashes, Hashes(b));
        Assert.NotEqual(hashes["train_sent_emo.csv"], Hashes(c)["train_sent_emo.csv"]);
        Assert.Equal(summary.Utterances + 3, hashes.Count); // one wav per utterance and three CSVs

        foreach (var split in new[] { "train", "dev", "test" })
        {
            var csv = File.ReadAllText(Path.Combine(a, $"{split}_sent_emo.csv"));
            Assert.StartsWith(MeldLayoutWriter.Header + "\r\n", csv);
            Assert.DoesNotContain("\n", csv.Replace("\r\n", ""));
            Assert.False(File.ReadAllBytes(Path.Combine(a, $"{split}_sent_emo.csv")).AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "MELD's CSVs have no BOM");
        }
        // Dialogues 0..7 train, 8 dev, 9 test; every CSV row has its audio.
        var train = File.ReadAllLines(Path.Combine(a, "train_sent_emo.csv")).Skip(1).ToArray();
        Assert.Equal(summary.Splits["train"], train.Length);
        Assert.Contains(train, line => line.Contains(",7,0,1,1,\"0:00:05,000\","));
        Assert.All(Directory.GetFiles(Path.Combine(a, "dev_splits_complete")), f => Assert.StartsWith("dia0_utt", Path.GetFileName(f)));
        Assert.True(File.Exists(Path.Combine(a, "output_repeated_splits_test", "dia0_utt0.wav")));
        Assert.True(File.Exists(Path.Combine(a, "train", "train_splits", "dia7_utt1.wav")));
    }

    [Fact]
    public async Task The_meld_importer_reads_emosynth_without_a_problem()
    {
        var folder = Path.Combine(root, "corpus");
        var options = new EmoSynthOptions(10, Seed: 8) { MinTurns = 2, MaxTurns = 4 };
        await EmoSynthGenerator.GenerateAsync(folder, options);
        var result = new MeldImporter { CorpusName = "emosynth" }.Import(folder, Path.Combine(root, "artifacts"));

        Assert.Empty(result.Report.Problems);
        var corpus = result.Corpus!;
        var plan = DialoguePlanner.Plan(options);
        Assert.Equal(plan.Count, corpus.Utterances.Count);
        Assert.All(corpus.Utterances, u => Assert.True(u.AudioOk, u.AudioProblem));
        var byKey = corpus.Utterances.ToDictionary(u => u.Key);
        foreach (var p in plan)
        {
            var u = byKey[$"emosynth-{p.Split}-dia{p.DialogueId}_utt{p.UtteranceId}"];
            Assert.Equal((p.Emotion, p.Speaker.Name, p.Text), (u.RawLabel, u.Speaker, u.Text));
        }
        Assert.Equal(["meld7", "meld4", "meld-sentiment3"], LabelSets.For(corpus.Name).Select(s => s.Name));

        // The clips read in this process match ffmpeg's extraction, as every import made them before.
        var byFfmpeg = new MeldImporter { CorpusName = "emosynth", Clips = new ClipExtractor(new MediaTools()) { ReadsWavInProcess = false } }
            .Import(folder, Path.Combine(root, "artifacts-ffmpeg")).Corpus!.Utterances.ToDictionary(u => u.Key);
        foreach (var u in corpus.Utterances)
            ClipComparison.AssertClose(byFfmpeg[u.Key].AudioPath!, u.AudioPath!, minSnrDb: 30); // 33 to 55 dB, median about 40, on EmoSynth
    }

    [Fact]
    public async Task Prosody_changes_the_audio_not_only_the_label()
    {
        var speaker = Cast.Characters[0];
        var text = Phrasebook.Neutral[0];
        var sad = new PlannedUtterance("train", 0, 0, speaker, "sadness", "negative", text, false, EmotionalProsody.For("sadness"), true);
        var happy = sad with { Emotion = "joy", Prosody = EmotionalProsody.For("joy") };
        var flat = sad with { Prosody = EmotionalProsody.Flat };
        var sadSeconds = await EspeakRenderer.RenderAsync(sad, Path.Combine(root, "sad.wav"));
        var happySeconds = await EspeakRenderer.RenderAsync(happy, Path.Combine(root, "happy.wav"));
        var flatSeconds = await EspeakRenderer.RenderAsync(flat, Path.Combine(root, "flat.wav"));
        Assert.True(sadSeconds > flatSeconds * 1.2, $"sad {sadSeconds:F2} s vs flat {flatSeconds:F2} s");
        Assert.True(happySeconds < flatSeconds, $"joy {happySeconds:F2} s vs flat {flatSeconds:F2} s");
    }
}
