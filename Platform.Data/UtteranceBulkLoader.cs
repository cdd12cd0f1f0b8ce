using EmotionLab.Data.Entities;
using Npgsql;
using NpgsqlTypes;

namespace EmotionLab.Data;

/// <summary>
/// Stores a corpus's utterances with PostgreSQL's binary COPY (tens of thousands of rows in
/// well under a second). Runs inside the caller's transaction, so an import that fails part-way
/// stores nothing.
/// </summary>
public static class UtteranceBulkLoader
{
    public static async Task<ulong> CopyAsync(NpgsqlConnection connection, IEnumerable<Utterance> utterances, CancellationToken cancellation = default)
    {
        const string command = "COPY utterances (corpus_id, dialogue_id, key, split, fold, index, speaker, start_seconds, end_seconds, text, raw_label, audio_path, duration_seconds, sample_rate, audio_ok, audio_problem) FROM STDIN (FORMAT BINARY)";
        await using var writer = await connection.BeginBinaryImportAsync(command, cancellation);
        foreach (var u in utterances)
        {
            await writer.StartRowAsync(cancellation);
            await writer.WriteAsync(u.CorpusId, NpgsqlDbType.Bigint, cancellation);
            await writer.WriteAsync(u.DialogueId, NpgsqlDbType.Bigint, cancellation);
            await writer.WriteAsync(u.Key, NpgsqlDbType.Text, cancellation);
            await writer.WriteAsync(u.Split, NpgsqlDbType.Text, cancellation);
            await WriteNullable(writer, u.Fold, NpgsqlDbType.Integer, cancellation);
            await writer.WriteAsync(u.Index, NpgsqlDbType.Integer, cancellation);
            await writer.WriteAsync(u.Speaker, NpgsqlDbType.Text, cancellation);
            await WriteNullable(writer, u.StartSeconds, NpgsqlDbType.Double, cancellation);
            await WriteNullable(writer, u.EndSeconds, NpgsqlDbType.Double, cancellation);
            await writer.WriteAsync(u.Text, NpgsqlDbType.Text, cancellation);
            await writer.WriteAsync(u.RawLabel, NpgsqlDbType.Text, cancellation);
            await WriteNullable(writer, u.AudioPath, NpgsqlDbType.Text, cancellation);
            await WriteNullable(writer, u.DurationSeconds, NpgsqlDbType.Double, cancellation);
            await WriteNullable(writer, u.SampleRate, NpgsqlDbType.Integer, cancellation);
            await writer.WriteAsync(u.AudioOk, NpgsqlDbType.Boolean, cancellation);
            await WriteNullable(writer, u.AudioProblem, NpgsqlDbType.Text, cancellation);
        }
        return await writer.CompleteAsync(cancellation);
    }

    private static Task WriteNullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellation) where T : struct =>
        value is { } v ? writer.WriteAsync(v, type, cancellation) : writer.WriteNullAsync(cancellation);

    private static Task WriteNullable(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellation) =>
        value is not null ? writer.WriteAsync(value, type, cancellation) : writer.WriteNullAsync(cancellation);
}
