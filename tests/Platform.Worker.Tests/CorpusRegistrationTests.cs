using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Corpora;
using EmotionLab.Worker.Corpora;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EmotionLab.Worker.Tests;

[Collection(nameof(ThrowawayPostgres))]
public sealed class CorpusRegistrationTests(ThrowawayPostgres postgres, SmallEmoSynth emosynth) : IClassFixture<SmallEmoSynth>
{
    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private CorpusRegistrationRequest Request(string name, string? source = null, bool replace = false) =>
        new(name, "emosynth", source ?? emosynth.Corpus, CorpusRegistrationRequest.OutputFolderFor(emosynth.Artifacts, name), replace);

    private async Task<CorpusRegistrationResult> RegisterAsync(CorpusRegistrationRequest request, IProgress<ImportProgress>? progress = null)
    {
        await using var database = NpgsqlDataSource.Create(postgres.ConnectionString);
        return await new CorpusRegistration(database).RegisterAsync(request, progress);
    }

    private async Task<(int Corpora, int Dialogues, int Utterances)> TableSizesAsync()
    {
        await using var db = postgres.NewContext();
        return (await db.Corpora.CountAsync(), await db.Dialogues.CountAsync(), await db.Utterances.CountAsync());
    }

    [Fact]
    public async Task Registration_stores_every_dialogue_and_utterance_the_importer_read_with_its_split_and_label_counts()
    {
        var name = UniqueName("emosynth-reg");
        var stages = new List<ImportProgress>();
        var result = await RegisterAsync(Request(name), new SynchronousProgress(stages));
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));

        // What the importer reads from the same folder (the wavs extracted by the registration are reused, so the fingerprint agrees).
        var read = CorpusFormats.Import("emosynth", emosynth.Corpus, CorpusRegistrationRequest.OutputFolderFor(emosynth.Artifacts, name)).Corpus!;
        await using var db = postgres.NewContext();
        var corpus = await db.Corpora.SingleAsync(c => c.Name == name);
        Assert.Equal(result.CorpusId, corpus.Id);
        Assert.Equal("emosynth", corpus.Format);
        Assert.Equal(emosynth.Corpus, corpus.SourcePath);
        Assert.Equal(CorpusFingerprint.Compute(read), corpus.ContentHash);
        Assert.Equal(read.Utterances.Count, await db.Utterances.CountAsync(u => u.CorpusId == corpus.Id));
        Assert.Equal(read.Dialogues.Count, await db.Dialogues.CountAsync(d => d.CorpusId == corpus.Id));
        Assert.Equal(["train", "dev", "test"], read.Splits);

        var overview = (await new CorpusOverviewQuery(db).ExecuteAsync(corpus.Id))!;
        Assert.Equal(["train", "dev", "test"], overview.Splits.Select(s => s.Split));
        foreach (var split in overview.Splits)
        {
            Assert.Equal(read.Utterances.Count(u => u.Split == split.Split), split.Utterances);
            Assert.Equal(read.Dialogues.Count(d => d.Split == split.Split), split.Dialogues);
            Assert.Equal(read.Utterances.Count(u => u.Split == split.Split && u.AudioOk), split.AudioOk);
        }
        var meld7 = LabelSets.Meld7.CountsPerSplit(read.Utterances);
        foreach (var split in read.Splits)
            foreach (var label in LabelSets.Meld7.Labels)
                Assert.Equal(meld7[split, label], overview.LabelCount(split, label));
        Assert.Equal(read.Utterances.Count, overview.Utterances);

        // Rows carry the importer's values, dialogues their corpus ids, utterances their dialogue.
        var first = read.Utterances[0];
        var row = await db.Utterances.SingleAsync(u => u.CorpusId == corpus.Id && u.Key == first.Key);
        var dialogue = await db.Dialogues.SingleAsync(d => d.Id == row.DialogueId);
        Assert.Equal((first.Text, first.RawLabel, first.Speaker, first.Index, first.AudioPath), (row.Text, row.RawLabel, row.Speaker, row.Index, row.AudioPath));
        Assert.Equal(("train", "0"), (dialogue.Split, dialogue.ExternalId));

        Assert.Contains(stages, p => p.Stage == "extracting audio" && p.Done == p.Total && p.Total == read.Utterances.Count);
        Assert.Equal(new ImportProgress("stored", read.Utterances.Count, read.Utterances.Count), stages[^1]);
        Assert.Contains(stages, p => p.Stage == "storing utterances" && p.Done == read.Utterances.Count);
    }

    [Fact]
    public async Task A_csv_with_a_malformed_row_stores_nothing_and_the_problem_names_the_file_and_row()
    {
        var (folder, line) = emosynth.CopyWithMalformedRow("malformed-" + Guid.NewGuid().ToString("N")[..6]);
        var before = await TableSizesAsync();
        var name = UniqueName("emosynth-bad");

        var result = await RegisterAsync(Request(name, folder));

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal("dev_sent_emo.csv", error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains("Utterance_ID 'one'", error.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.Remedy));
        Assert.Equal(before, await TableSizesAsync());
        // Nothing was extracted either: the importer stops before touching audio.
        Assert.False(Directory.Exists(Path.Combine(CorpusRegistrationRequest.OutputFolderFor(emosynth.Artifacts, name), "wav")));
    }

    [Fact]
    public async Task A_taken_name_is_refused_and_a_replace_keeps_the_id_but_not_while_runs_are_queued()
    {
        var name = UniqueName("emosynth-again");
        var first = await RegisterAsync(Request(name));
        Assert.True(first.Succeeded, string.Join("\n", first.Problems));
        var sizes = await TableSizesAsync();

        var again = await RegisterAsync(Request(name));
        Assert.False(again.Succeeded);
        Assert.Contains($"a corpus named '{name}' exists already", Assert.Single(again.Errors).Message);
        Assert.Equal(sizes, await TableSizesAsync());

        // A replace that fails on a malformed row leaves the stored corpus as it was.
        var (bad, _) = emosynth.CopyWithMalformedRow("malformed-replace-" + Guid.NewGuid().ToString("N")[..6]);
        var failedReplace = await RegisterAsync(Request(name, bad, replace: true));
        Assert.False(failedReplace.Succeeded);
        Assert.Equal(sizes, await TableSizesAsync());
        await using (var db = postgres.NewContext())
            Assert.Equal(emosynth.Corpus, (await db.Corpora.SingleAsync(c => c.Name == name)).SourcePath);

        // A replace from another folder keeps the id; the audio extracted from the first folder is not reused.
        var copy = emosynth.Copy("copy-" + Guid.NewGuid().ToString("N")[..6]);
        var replaced = await RegisterAsync(Request(name, copy, replace: true));
        Assert.True(replaced.Succeeded, string.Join("\n", replaced.Problems));
        Assert.Equal(first.CorpusId, replaced.CorpusId);
        Assert.Equal(sizes, await TableSizesAsync());
        var output = CorpusRegistrationRequest.OutputFolderFor(emosynth.Artifacts, name);
        Assert.Equal(copy, File.ReadAllText(Path.Combine(output, ExtractedAudioCache.MarkerFile)));
        await using (var db = postgres.NewContext())
        {
            var corpus = await db.Corpora.SingleAsync(c => c.Name == name);
            Assert.Equal(copy, corpus.SourcePath);
            Assert.Equal(CorpusFingerprint.Compute(replaced.Corpus!), corpus.ContentHash);

            // A queued run on the corpus blocks a replace: its data would change under it.
            var experiment = new Experiment
            {
                Name = "uses " + name, Family = "baselines", CorpusId = corpus.Id, SpecJson = "{}", SpecHash = "-", CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Experiments.Add(experiment);
            await db.SaveChangesAsync();
            db.Runs.Add(new Run { ExperimentId = experiment.Id, Family = "baselines", CorpusId = corpus.Id, Seed = 1, Attempt = 1, QueuedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        var blocked = await RegisterAsync(Request(name, emosynth.Corpus, replace: true));
        Assert.False(blocked.Succeeded);
        Assert.Contains("1 queued or running run(s) use it", Assert.Single(blocked.Errors).Message);
        await using (var db = postgres.NewContext())
            Assert.Equal(copy, (await db.Corpora.SingleAsync(c => c.Name == name)).SourcePath);
    }

    [Fact]
    public async Task A_bad_name_or_a_missing_folder_is_refused_before_anything_is_read()
    {
        var result = await RegisterAsync(new CorpusRegistrationRequest("Bad Name!", "emosynth", "/no/such/folder", emosynth.Artifacts));
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, p => p.Message.Contains("'Bad Name!' is not usable"));
        Assert.Contains(result.Errors, p => p.Message.Contains("/no/such/folder does not exist"));
    }

    [Fact]
    public async Task Corpus_import_verb_stores_the_corpus_when_given_a_database()
    {
        var name = UniqueName("emosynth-cli");
        var (output, errors) = (new StringWriter(), new StringWriter());
        var exit = await CorpusImport.RegisterAsync("emosynth", emosynth.Corpus, CorpusRegistrationRequest.OutputFolderFor(emosynth.Artifacts, name), name,
            replace: false, postgres.ConnectionString, output, errors);
        Assert.True(exit == 0, errors.ToString());
        Assert.Contains("storing utterances", output.ToString());
        Assert.Contains("meld7", output.ToString());
        await using var db = postgres.NewContext();
        var corpus = await db.Corpora.SingleAsync(c => c.Name == name);
        Assert.Contains($"stored: corpus {corpus.Id} '{name}'", output.ToString());

        var (bad, line) = emosynth.CopyWithMalformedRow("malformed-cli-" + Guid.NewGuid().ToString("N")[..6]);
        var failedErrors = new StringWriter();
        Assert.Equal(1, await CorpusImport.RegisterAsync("emosynth", bad, Path.Combine(emosynth.Artifacts, "cli-bad"), UniqueName("emosynth-cli-bad"),
            replace: false, postgres.ConnectionString, new StringWriter(), failedErrors));
        Assert.Contains($"dev_sent_emo.csv:{line}: malformed row", failedErrors.ToString());
        Assert.Contains("nothing was stored", failedErrors.ToString());
    }

    /// <summary>Records progress on the reporting thread, in order.</summary>
    private sealed class SynchronousProgress(List<ImportProgress> stages) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            lock (stages) stages.Add(value);
        }
    }
}
