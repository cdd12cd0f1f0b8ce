using EmotionLab.Data;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Pretrained;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Worker.Pretrained;

/// <summary>
/// The smoke test of `submit --tiny-models` and the New experiment form: every model-folder field
/// of a spec's family config gets a tiny random folder under ARTIFACTS/models/, written once as
/// `models tiny` writes it (a text model's tokenizer covers the corpus' words, so its folder is
/// per corpus: tiny-llama-emosynth), so a grid of an LLM family runs on CPU in minutes.
/// </summary>
public static class TinyModelFolders
{
    /// <summary>The spec with its family's model folders set to tiny ones (written when missing), or the problems of applying them.</summary>
    public static async Task<(ExperimentSpec? Spec, IReadOnlyList<SpecProblem> Problems)> ApplyAsync(ExperimentSpec spec, string artifactRoot, string connectionString,
        CancellationToken cancellation = default)
    {
        if (FamilyCatalog.Find(spec.Family)?.ConfigOf(spec) is not { } config) return (spec, []);
        var wanted = new Dictionary<string, string>();
        var settings = config.TinyModelSettings(architecture => wanted[architecture] = FolderName(architecture, spec.Corpus));
        if (settings.Count == 0) return (spec, []);

        IReadOnlyList<string>? texts = null;
        foreach (var (architecture, name) in wanted)
        {
            var folder = Path.Combine(artifactRoot, "models", name);
            if (File.Exists(Path.Combine(folder, ModelFolder.ConfigFile))) continue;
            texts ??= await CorpusTextsAsync(connectionString, spec.Corpus, cancellation);
            if (texts.Count == 0) return (null, [new SpecProblem("corpus", $"corpus '{spec.Corpus}' has no transcripts here: the tiny models' tokenizer covers its words")]);
            Write(architecture, folder, texts);
        }
        return SpecSettings.Apply(spec, settings);
    }

    /// <summary>tiny-hubert, or tiny-llama-emosynth for an architecture with a tokenizer (it covers the corpus' words).</summary>
    public static string FolderName(string architecture, string corpus) =>
        architecture is "hubert" or "wav2vec2" or "wavlm" or "beats" ? $"tiny-{architecture}" : $"tiny-{architecture}-{corpus}";

    // Written beside the target and moved into place, so a concurrent submission never reads half a folder.
    private static void Write(string architecture, string folder, IReadOnlyList<string> texts)
    {
        var partial = $"{folder}.partial-{Guid.NewGuid():N}";
        TinyModelWriter.Write(architecture, partial, texts, seed: 0);
        try { Directory.Move(partial, folder); }
        catch (IOException) when (File.Exists(Path.Combine(folder, ModelFolder.ConfigFile))) { Directory.Delete(partial, true); }
    }

    // The imported utterances' transcripts; a corpus registered without its utterances (in MELD's
    // layout) is read from its CSV files, as `models tiny --corpus` reads them.
    private static async Task<IReadOnlyList<string>> CorpusTextsAsync(string connectionString, string corpus, CancellationToken cancellation)
    {
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
        var texts = await db.Utterances.AsNoTracking()
            .Where(u => db.Corpora.Any(c => c.Id == u.CorpusId && c.Name == corpus))
            .OrderBy(u => u.Id).Select(u => u.Text).ToListAsync(cancellation);
        if (texts.Count > 0) return texts;
        var entry = await db.Corpora.AsNoTracking().SingleOrDefaultAsync(c => c.Name == corpus, cancellation);
        return entry is { Format: "meld" or "emosynth" } && Directory.Exists(entry.SourcePath) ? ModelsVerb.MeldLayoutTexts(entry.SourcePath).ToList() : [];
    }
}
