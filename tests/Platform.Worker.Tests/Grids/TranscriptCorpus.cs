using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>
/// A stored corpus of two train transcripts and no audio, under a fresh name: what `submit
/// --tiny-models` reads to write tiny tokenizers that cover a corpus' words.
/// </summary>
public static class TranscriptCorpus
{
    /// <returns>the corpus' name, "emosynth-" + a random suffix</returns>
    public static async Task<string> CreateAsync(ThrowawayPostgres postgres)
    {
        await DatabaseSchema.MigrateAsync(postgres.ConnectionString);
        await using var db = postgres.NewContext();
        var name = "emosynth-" + Guid.NewGuid().ToString("N")[..9];
        var corpus = new Corpus { Name = name, Format = "emosynth", SourcePath = "/nowhere", ContentHash = "-", ImportedAt = DateTimeOffset.UtcNow };
        db.Corpora.Add(corpus);
        await db.SaveChangesAsync();
        var dialogue = new Dialogue { CorpusId = corpus.Id, Split = "train", ExternalId = "d0" };
        db.Dialogues.Add(dialogue);
        await db.SaveChangesAsync();
        foreach (var (text, i) in new[] { "I am so happy for you!", "Stop lying to me right now!" }.Select((t, i) => (t, i)))
            db.Utterances.Add(new Utterance { CorpusId = corpus.Id, DialogueId = dialogue.Id, Key = $"d0_u{i}", Split = "train", Index = i, Speaker = "A", Text = text, RawLabel = "joy" });
        await db.SaveChangesAsync();
        return name;
    }
}
