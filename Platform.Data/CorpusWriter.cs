using Npgsql;
using NpgsqlTypes;

namespace EmotionLab.Data;

/// <summary>
/// Stores an imported corpus in one transaction: its row, its dialogues and its utterances (both
/// with binary COPY), so a failure or a cancellation at any point stores nothing.
/// <para>
/// Replacing a corpus keeps its id: experiments and runs refer to corpora by id, and a finished
/// run's corpus_hash still names the exact data it trained on. It is refused while queued or
/// running runs use the corpus, since their data would change under them. The corpus row is locked
/// (FOR UPDATE) first, so a run queued meanwhile waits for the replace to commit.
/// </para>
/// </summary>
public static class CorpusWriter
{
    /// <summary>Rows copied between two progress reports.</summary>
    private const int ProgressEvery = 1000;

    /// <summary>Stores <paramref name="content"/> and returns the corpus id; throws <see cref="CorpusConflictException"/> when the name is taken (and replace is off) or active runs use the corpus.</summary>
    public static async Task<long> WriteAsync(NpgsqlDataSource dataSource, CorpusContent content, bool replace,
        IProgress<int>? utterancesStored = null, CancellationToken cancellation = default)
    {
        var corpus = content.Corpus;
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);

        var existing = await ExistingAsync(connection, corpus.Name, cancellation);
        if (existing is { } old)
        {
            if (!replace)
                throw new CorpusConflictException($"a corpus named '{corpus.Name}' exists already (id {old.Id}, imported {old.ImportedAt:yyyy-MM-dd HH:mm} UTC); choose another name, or replace it");
            await RefuseWhileRunsNeedItAsync(connection, corpus.Name, old.Id, cancellation);
            corpus.Id = old.Id;
            await ReplaceRowAsync(connection, corpus, cancellation);
        }
        else
        {
            corpus.Id = await InsertRowAsync(connection, corpus, cancellation);
        }

        await CopyDialoguesAsync(connection, content, cancellation);
        var stored = 0;
        await UtteranceBulkLoader.CopyAsync(connection, Counted(content, () =>
        {
            if (++stored % ProgressEvery == 0) utterancesStored?.Report(stored);
        }), cancellation);
        await transaction.CommitAsync(cancellation);
        utterancesStored?.Report(stored);
        return corpus.Id;
    }

    /// <summary>Why a corpus cannot be replaced now, or null when it can (checked again, under a lock, when storing).</summary>
    public static async Task<string?> ReplaceRefusalAsync(NpgsqlDataSource dataSource, string name, bool replace, CancellationToken cancellation = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        if (await ExistingAsync(connection, name, cancellation, forUpdate: false) is not { } old) return null;
        if (!replace)
            return $"a corpus named '{name}' exists already (id {old.Id}, imported {old.ImportedAt:yyyy-MM-dd HH:mm} UTC); choose another name, or replace it";
        try
        {
            await RefuseWhileRunsNeedItAsync(connection, name, old.Id, cancellation);
            return null;
        }
        catch (CorpusConflictException e)
        {
            return e.Message;
        }
    }

    private static async Task<(long Id, DateTimeOffset ImportedAt)?> ExistingAsync(NpgsqlConnection connection, string name, CancellationToken cancellation, bool forUpdate = true)
    {
        await using var command = new NpgsqlCommand($"SELECT id, imported_at FROM corpora WHERE name = @name{(forUpdate ? " FOR UPDATE" : "")}", connection);
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation) ? (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    private static async Task RefuseWhileRunsNeedItAsync(NpgsqlConnection connection, string name, long corpusId, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM runs WHERE corpus_id = @id AND status IN ('Queued', 'Running')", connection);
        command.Parameters.AddWithValue("id", corpusId);
        var active = (long)(await command.ExecuteScalarAsync(cancellation))!;
        if (active > 0)
            throw new CorpusConflictException($"corpus '{name}' cannot be replaced while {active} queued or running run(s) use it; wait for them to finish or cancel them, then import again");
    }

    private static async Task<long> InsertRowAsync(NpgsqlConnection connection, Entities.Corpus corpus, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO corpora (name, format, source_path, content_hash, imported_at, report_json) VALUES (@name, @format, @source, @hash, @at, @report) RETURNING id",
            connection);
        AddRowParameters(command, corpus);
        try
        {
            return (long)(await command.ExecuteScalarAsync(cancellation))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another import of the same name committed between our check and our insert.
            throw new CorpusConflictException($"a corpus named '{corpus.Name}' was stored by another import meanwhile; choose another name, or replace it");
        }
    }

    private static async Task ReplaceRowAsync(NpgsqlConnection connection, Entities.Corpus corpus, CancellationToken cancellation)
    {
        // Utterances go with their dialogues (ON DELETE CASCADE); the row itself, and so its id, stays.
        await using (var delete = new NpgsqlCommand("DELETE FROM dialogues WHERE corpus_id = @id", connection))
        {
            delete.Parameters.AddWithValue("id", corpus.Id);
            await delete.ExecuteNonQueryAsync(cancellation);
        }
        await using var update = new NpgsqlCommand(
            "UPDATE corpora SET format = @format, source_path = @source, content_hash = @hash, imported_at = @at, report_json = @report WHERE id = @id",
            connection);
        AddRowParameters(update, corpus);
        update.Parameters.AddWithValue("id", corpus.Id);
        await update.ExecuteNonQueryAsync(cancellation);
    }

    private static void AddRowParameters(NpgsqlCommand command, Entities.Corpus corpus)
    {
        command.Parameters.AddWithValue("name", corpus.Name);
        command.Parameters.AddWithValue("format", corpus.Format);
        command.Parameters.AddWithValue("source", corpus.SourcePath);
        command.Parameters.AddWithValue("hash", corpus.ContentHash);
        command.Parameters.AddWithValue("at", corpus.ImportedAt);
        command.Parameters.Add(new NpgsqlParameter("report", NpgsqlDbType.Jsonb) { Value = corpus.ReportJson });
    }

    private static async Task CopyDialoguesAsync(NpgsqlConnection connection, CorpusContent content, CancellationToken cancellation)
    {
        var corpusId = content.Corpus.Id;
        await using (var writer = await connection.BeginBinaryImportAsync("COPY dialogues (corpus_id, split, fold, external_id) FROM STDIN (FORMAT BINARY)", cancellation))
        {
            foreach (var d in content.Dialogues.Select(d => d.Dialogue))
            {
                await writer.StartRowAsync(cancellation);
                await writer.WriteAsync(corpusId, NpgsqlDbType.Bigint, cancellation);
                await writer.WriteAsync(d.Split, NpgsqlDbType.Text, cancellation);
                if (d.Fold is { } fold) await writer.WriteAsync(fold, NpgsqlDbType.Integer, cancellation);
                else await writer.WriteNullAsync(cancellation);
                await writer.WriteAsync(d.ExternalId, NpgsqlDbType.Text, cancellation);
            }
            await writer.CompleteAsync(cancellation);
        }

        // COPY returns no ids: read them back by the dialogue's natural key.
        var ids = new Dictionary<(string Split, string ExternalId), long>();
        await using (var command = new NpgsqlCommand("SELECT id, split, external_id FROM dialogues WHERE corpus_id = @id", connection))
        {
            command.Parameters.AddWithValue("id", corpusId);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation)) ids[(reader.GetString(1), reader.GetString(2))] = reader.GetInt64(0);
        }
        foreach (var (dialogue, utterances) in content.Dialogues)
        {
            dialogue.CorpusId = corpusId;
            dialogue.Id = ids[(dialogue.Split, dialogue.ExternalId)];
            foreach (var u in utterances)
            {
                u.CorpusId = corpusId;
                u.DialogueId = dialogue.Id;
            }
        }
    }

    private static IEnumerable<Entities.Utterance> Counted(CorpusContent content, Action afterEach)
    {
        foreach (var d in content.Dialogues)
            foreach (var u in d.Utterances)
            {
                yield return u;
                afterEach();
            }
    }
}
