using EmotionLab.Models.Corpora;
using EmotionLab.Models.Corpora.EmoSynth;
using EmotionLab.Models.Features;

namespace EmotionLab.Models.Tests.Training;

/// <summary>
/// One EmoSynth corpus (60 dialogues: 48 train, 6 dev, 6 test; about 7 turns each), imported and with its log-mel
/// cache, generated once for every test of the training collection.
/// </summary>
public sealed class EmoSynthTrainingCorpus : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("trainer-corpus-").FullName;
    public Corpus Corpus { get; private set; } = null!;
    public FeatureCache Features { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var folder = Path.Combine(Root, "emosynth");
        await EmoSynthGenerator.GenerateAsync(folder, new EmoSynthOptions(60, Seed: 5) { MinTurns = 4, MaxTurns = 10 });
        var imported = new MeldImporter { CorpusName = "emosynth" }.Import(folder, Path.Combine(Root, "imported"));
        Corpus = imported.Corpus ?? throw new InvalidOperationException(string.Join("; ", imported.Report.Problems));
        Features = FeatureCache.Open(Corpus, new LogMelFeatures(), Path.Combine(Root, "artifacts"));
    }

    /// <summary>A fresh run folder under the corpus root (deleted with it).</summary>
    public string NewRunFolder(string name) => Directory.CreateDirectory(Path.Combine(Root, "runs", name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public Task DisposeAsync()
    {
        Features.Dispose();
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

// Alone, after the parallel collections: libtorch's random generator is global to the process, and
// a test in another class drawing from it mid-run would break these tests' same-seed comparisons.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmoSynthTrainingCollection : ICollectionFixture<EmoSynthTrainingCorpus>
{
    public const string Name = "EmoSynth training corpus";
}
