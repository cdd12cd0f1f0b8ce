using EmotionLab.Models.Audio;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Corpora.EmoSynth;
using EmotionLab.Models.Features;

namespace EmotionLab.Models.Tests.Features;

/// <summary>A small EmoSynth corpus, generated and imported once for the cache tests.</summary>
public sealed class SmallEmoSynthCorpus : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("feature-cache-").FullName;
    public Corpus Corpus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var folder = Path.Combine(Root, "emosynth");
        await EmoSynthGenerator.GenerateAsync(folder, new EmoSynthOptions(10, Seed: 2) { MinTurns = 2, MaxTurns = 3 });
        Corpus = new MeldImporter { CorpusName = "emosynth" }.Import(folder, Path.Combine(Root, "imported")).Corpus!;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class FeatureCacheTests(SmallEmoSynthCorpus fixture) : IClassFixture<SmallEmoSynthCorpus>, IDisposable
{
    private readonly string root = fixture.Root;
    private readonly Corpus corpus = fixture.Corpus;
    private readonly string artifacts = Path.Combine(fixture.Root, "artifacts-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(artifacts)) Directory.Delete(artifacts, recursive: true);
    }

    [Fact]
    public void Features_are_extracted_once_and_read_back_exactly()
    {
        var direct = new LogMelSpectrogram();
        using (var first = FeatureCache.Open(corpus, new LogMelFeatures(), artifacts))
        {
            Assert.True(first.Extracted);
            Assert.Equal(corpus.Utterances.Count, first.Count);
            Assert.Empty(first.Missing);
        }
        using var second = FeatureCache.Open(corpus, new LogMelFeatures(), artifacts);
        Assert.False(second.Extracted);
        foreach (var u in corpus.Utterances)
        {
            var (samples, rate) = WavReader.ReadMono(u.AudioPath!);
            Assert.Equal(16_000, rate);
            var expected = direct.Compute(samples);
            var cached = second.Get(u.Key);
            Assert.Equal((expected.Frames, expected.Dimensions), (cached.Frames, cached.Dimensions));
            Assert.Equal(expected.Values, cached.Values);
        }
    }

    [Fact]
    public void Changed_settings_or_changed_audio_are_extracted_again()
    {
        using (var baseline = FeatureCache.Open(corpus, new LogMelFeatures(), artifacts)) Assert.True(baseline.Extracted);
        using (var fewerMels = FeatureCache.Open(corpus, new LogMelFeatures(melBins: 40), artifacts))
        {
            Assert.True(fewerMels.Extracted);
            Assert.Equal(40, fewerMels.Get(corpus.Utterances[0].Key).Dimensions);
        }
        File.SetLastWriteTimeUtc(corpus.Utterances[0].AudioPath!, DateTime.UtcNow.AddMinutes(1));
        using var touched = FeatureCache.Open(corpus, new LogMelFeatures(), artifacts);
        Assert.True(touched.Extracted);
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(artifacts, "features")).Length);
    }

    [Fact]
    public void Utterances_without_usable_audio_are_listed_not_fatal()
    {
        var broken = corpus.Dialogues.Select((d, i) => i != 0 ? d : d with
        {
            Utterances = d.Utterances.Select((u, j) => j switch
            {
                0 => u with { AudioOk = false, AudioProblem = "corrupt media" },
                1 => u with { AudioPath = Path.Combine(root, "gone.wav") },
                _ => u,
            }).ToArray(),
        }).ToArray();
        var damaged = new Corpus(corpus.Name, corpus.Root, broken);
        using var cache = FeatureCache.Open(damaged, new LogMelFeatures(), artifacts);
        Assert.Equal(damaged.Utterances.Count - 2, cache.Count);
        var first = broken[0].Utterances;
        Assert.Equal(new MissingAudio(first[0].Key, "corrupt media"), cache.Missing[0]);
        Assert.Equal(first[1].Key, cache.Missing[1].Key);
        Assert.Contains("gone.wav", cache.Missing[1].Reason);
        Assert.False(cache.Contains(first[1].Key));
    }
}
