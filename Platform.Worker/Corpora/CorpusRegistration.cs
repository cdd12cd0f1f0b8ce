using EmotionLab.Data;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Features;
using Npgsql;

namespace EmotionLab.Worker.Corpora;

/// <summary>
/// Imports a corpus folder with its format's importer and stores it in the database, all or
/// nothing: any import error (a malformed CSV row, an unknown label, a missing file...) stores
/// nothing and returns every problem with its file and line; otherwise one transaction stores the
/// corpus (with its fingerprint and the import's warnings), its dialogues and, by binary COPY, its
/// utterances. An existing name is refused unless the request asks to replace it, and a replace is
/// refused while queued or running runs use the corpus (see <see cref="CorpusWriter"/>).
/// </summary>
public sealed class CorpusRegistration(NpgsqlDataSource database, TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    /// <summary>Reports each stage and, where it counts, utterances done of total. The importer runs synchronously on the calling thread.</summary>
    public async Task<CorpusRegistrationResult> RegisterAsync(CorpusRegistrationRequest request, IProgress<ImportProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (request.Validate() is { Count: > 0 } invalid) return CorpusRegistrationResult.Failed(invalid);

        // Checked now so a taken name fails in a second rather than after extracting every clip; checked again when storing.
        progress?.Report(new ImportProgress("checking the name"));
        if (await CorpusWriter.ReplaceRefusalAsync(database, request.Name, request.Replace, cancellation) is { } refusal)
            return CorpusRegistrationResult.Refused(refusal, "nothing was imported or stored");

        var source = Path.GetFullPath(request.SourcePath);
        var output = Path.GetFullPath(request.OutputFolder);
        // Trainers of runs on a corpus of this name may be extracting into the same folder.
        using var folderLock = await FolderLock.AcquireAsync(output, TimeSpan.FromMinutes(30), cancellation);
        var extracts = CorpusFormats.ExtractsAudio(request.Format);
        var audioFromElsewhere = extracts && ExtractedAudioCache.Prepare(output, source);
        var stored = false;
        try
        {
            cancellation.ThrowIfCancellationRequested();
            var imported = CorpusFormats.Import(request.Format, source, output, progress);
            if (imported.Corpus is not { } corpus) return CorpusRegistrationResult.Failed(imported.Report.Problems);
            cancellation.ThrowIfCancellationRequested();

            progress?.Report(new ImportProgress("fingerprinting"));
            var content = CorpusRows.From(corpus, request.Name, request.Format, source, CorpusFingerprint.Compute(corpus), imported.Report.Warnings, clock.GetUtcNow());
            var total = content.UtteranceCount;
            progress?.Report(new ImportProgress("storing utterances", 0, total));
            var storing = progress is null ? null : new Relay<int>(n => progress.Report(new ImportProgress("storing utterances", n, total)));
            long corpusId;
            try
            {
                corpusId = await CorpusWriter.WriteAsync(database, content, request.Replace, storing, cancellation);
            }
            catch (CorpusConflictException e)
            {
                return CorpusRegistrationResult.Refused(e.Message, "nothing was stored");
            }
            stored = true;
            if (extracts) ExtractedAudioCache.Keep(output, source);
            progress?.Report(new ImportProgress("stored", total, total));
            return CorpusRegistrationResult.Stored(corpusId, corpus, imported.ManifestPath, imported.Report.Warnings);
        }
        finally
        {
            if (!stored && audioFromElsewhere) ExtractedAudioCache.Discard(output);
        }
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
