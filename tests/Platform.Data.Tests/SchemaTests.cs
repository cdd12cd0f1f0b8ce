using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EmotionLab.Data.Tests;

[Collection(nameof(ThrowawayPostgres))]
public sealed class SchemaTests(ThrowawayPostgres postgres)
{
    private async Task<(Corpus corpus, Dialogue dialogue)> NewCorpusAsync(EmotionLabDbContext db, string name)
    {
        var corpus = new Corpus { Name = name, Format = "meld", SourcePath = "/data/" + name, ContentHash = "abc", ImportedAt = DateTimeOffset.UtcNow };
        var dialogue = new Dialogue { Split = "train", ExternalId = "0" };
        corpus.Dialogues.Add(dialogue);
        db.Corpora.Add(corpus);
        await db.SaveChangesAsync();
        return (corpus, dialogue);
    }

    [Fact]
    public async Task Migrations_create_the_snake_case_schema()
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1", connection);
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        Assert.Equal(["__EFMigrationsHistory", "api_tokens", "artifacts", "confusion_matrices", "corpora", "deletions", "dialogues", "epoch_metrics", "experiments", "grids",
                      "projects", "role_claims", "roles", "run_actions", "runs", "step_losses", "user_claims", "user_logins", "user_roles", "user_tokens", "users", "utterances", "worker_nodes"], tables);
        // The lab's three roles come with the schema.
        await using var roles = new NpgsqlCommand("SELECT string_agg(name, ',' ORDER BY name) FROM roles", connection);
        Assert.Equal("admin,member,viewer", await roles.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Utterances_bulk_load_with_copy_inside_the_callers_transaction()
    {
        await using var db = postgres.NewContext();
        var (corpus, dialogue) = await NewCorpusAsync(db, "copy-" + Guid.NewGuid().ToString("N"));
        var rows = Enumerable.Range(0, 5000).Select(i => new Utterance
        {
            CorpusId = corpus.Id, DialogueId = dialogue.Id, Key = $"meld-train-dia0_utt{i}", Split = "train", Index = i, Speaker = i % 2 == 0 ? "Ross" : "Rachel",
            StartSeconds = i, EndSeconds = i + 1.5, Text = $"line {i} with \"quotes\", commas", RawLabel = "joy", AudioOk = i != 7,
            AudioProblem = i == 7 ? "corrupt media" : null, AudioPath = i == 7 ? null : $"/a/{i}.wav", SampleRate = 16000, DurationSeconds = 1.5,
        }).ToList();

        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.Equal(5000UL, await UtteranceBulkLoader.CopyAsync(connection, rows));
            await transaction.CommitAsync();
        }
        var stored = await db.Utterances.Where(u => u.CorpusId == corpus.Id).OrderBy(u => u.Index).ToListAsync();
        Assert.Equal(5000, stored.Count);
        Assert.Equal("line 4999 with \"quotes\", commas", stored[^1].Text);
        Assert.Equal("corrupt media", stored[7].AudioProblem);
        Assert.Null(stored[7].AudioPath);
        Assert.False(stored[7].AudioOk);

        // A duplicate key fails the COPY and, rolled back, leaves nothing of the second batch.
        var again = rows.Take(3).Select(u => new Utterance { CorpusId = u.CorpusId, DialogueId = u.DialogueId, Key = "new-" + u.Key, Split = u.Split, Index = u.Index, Speaker = u.Speaker, Text = u.Text, RawLabel = u.RawLabel })
            .Append(rows[0]).ToList();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => UtteranceBulkLoader.CopyAsync(connection, again));
            Assert.Equal(PostgresErrorCodes.UniqueViolation, e.SqlState);
            await transaction.RollbackAsync();
        }
        Assert.Equal(5000, await db.Utterances.CountAsync(u => u.CorpusId == corpus.Id));
    }

    [Fact]
    public async Task Runs_store_status_by_name_and_step_losses_cannot_duplicate()
    {
        await using var db = postgres.NewContext();
        var (corpus, _) = await NewCorpusAsync(db, "runs-" + Guid.NewGuid().ToString("N"));
        var experiment = new Experiment { Name = "concat", Family = "baselines", CorpusId = corpus.Id, SpecJson = "{\"lr\": 0.001}", SpecHash = "h", CreatedAt = DateTimeOffset.UtcNow };
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync();
        var run = new Run { ExperimentId = experiment.Id, Family = "baselines", CorpusId = corpus.Id, Seed = 1, Attempt = 1, QueuedAt = DateTimeOffset.UtcNow, Status = RunStatus.Canceled };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        db.StepLosses.Add(new StepLoss { RunId = run.Id, Step = 1, Epoch = 0, Loss = 2.3, LearningRate = 1e-3 });
        await db.SaveChangesAsync();

        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var status = new NpgsqlCommand($"SELECT status FROM runs WHERE id = {run.Id}", connection);
        Assert.Equal("Canceled", await status.ExecuteScalarAsync());

        await using var duplicate = new NpgsqlCommand($"INSERT INTO step_losses (run_id, step, epoch, loss, learning_rate) VALUES ({run.Id}, 1, 0, 9.9, 0.001)", connection);
        var e = await Assert.ThrowsAsync<PostgresException>(() => duplicate.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.UniqueViolation, e.SqlState);
    }
}
