using EmotionLab.Data;
using EmotionLab.Models.Corpora;
using Npgsql;

namespace EmotionLab.Worker.Corpora;

/// <summary>
/// <c>corpus import</c>: imports MELD, IEMOCAP or EmoSynth, prints counts per split (and fold) and
/// label and every problem. With a database it also registers the corpus there (all or nothing).
/// </summary>
public static class CorpusImport
{
    public static readonly string[] Formats = CorpusFormats.All;

    /// <summary>0 when the corpus was imported (warnings allowed), 1 when the import failed, 2 for a bad argument.</summary>
    public static int Run(string format, string path, string outDir, TextWriter output, TextWriter errors)
    {
        if (!Directory.Exists(path))
        {
            errors.WriteLine($"corpus import: {path} is not a folder");
            return 2;
        }
        if (!Formats.Contains(format))
        {
            errors.WriteLine($"corpus import: unknown format '{format}' (use {string.Join(" or ", Formats)})");
            return 2;
        }
        var result = CorpusFormats.Import(format, path, outDir);

        foreach (var problem in result.Report.Problems) (problem.Severity == ProblemSeverity.Error ? errors : output).WriteLine(problem);
        if (result.Corpus is not { } corpus)
        {
            errors.WriteLine($"corpus import: failed with {result.Report.Errors.Count} error(s) and {result.Report.Warnings.Count} warning(s); nothing was written");
            return 1;
        }
        WriteSummary(corpus, result.Report.Warnings.Count, output);
        output.WriteLine($"manifest: {result.ManifestPath}");
        return 0;
    }

    /// <summary>
    /// Imports and stores the corpus in the database as <paramref name="name"/> (default: the format's
    /// name); <paramref name="replace"/> overwrites a corpus of that name, keeping its id. Same exit codes as <see cref="Run"/>.
    /// </summary>
    public static async Task<int> RegisterAsync(string format, string path, string outDir, string? name, bool replace, string connectionString,
        TextWriter output, TextWriter errors, CancellationToken cancellation = default)
    {
        var request = new CorpusRegistrationRequest(name ?? format, format, Path.GetFullPath(path), outDir, replace);
        if (request.Validate() is { Count: > 0 } invalid)
        {
            foreach (var problem in invalid) errors.WriteLine($"corpus import: {problem.Message} ({problem.Remedy})");
            return 2;
        }

        await DatabaseSchema.MigrateAsync(connectionString, cancellation);
        await using var database = NpgsqlDataSource.Create(connectionString);
        var lastStage = "";
        var progress = new ConsoleProgress(p =>
        {
            // One line per stage: the CLI's output is read in logs, not redrawn.
            if (p.Stage == lastStage) return;
            lastStage = p.Stage;
            output.WriteLine($"{p.Stage}{(p.Total > 0 ? $" ({p.Total} {p.Unit})" : "")}");
        });
        var result = await new CorpusRegistration(database).RegisterAsync(request, progress, cancellation);

        foreach (var problem in result.Problems) (problem.Severity == ProblemSeverity.Error ? errors : output).WriteLine(problem);
        if (result.Corpus is not { } corpus)
        {
            errors.WriteLine($"corpus import: failed with {result.Errors.Count} error(s) and {result.Warnings.Count} warning(s); nothing was stored");
            return 1;
        }
        WriteSummary(corpus, result.Warnings.Count, output);
        output.WriteLine($"manifest: {result.ManifestPath}");
        output.WriteLine($"stored: corpus {result.CorpusId} '{request.Name}'{(replace ? " (replaced)" : "")}");
        return 0;
    }

    private static void WriteSummary(Corpus corpus, int warnings, TextWriter output)
    {
        output.WriteLine($"{corpus.Name}: {corpus.Utterances.Count} utterances in {corpus.Dialogues.Count} dialogues, {corpus.Utterances.Count(u => u.AudioOk)} with usable audio, {warnings} warning(s)");
        foreach (var split in corpus.Splits)
            output.WriteLine($"  {split}: {corpus.Utterances.Count(u => u.Split == split)} utterances, {corpus.Dialogues.Count(d => d.Split == split)} dialogues");
        foreach (var set in LabelSets.For(corpus.Name))
        {
            output.WriteLine();
            output.Write(set.CountsPerSplit(corpus.Utterances).Format());
            if (corpus.Utterances.Any(u => u.Fold is not null))
                output.Write(set.CountsPerFold(corpus.Utterances).Format().Replace(set.Name, set.Name + " fold", StringComparison.Ordinal));
        }
        output.WriteLine();
    }

    /// <summary>Progress written from the reporting thread, serialised (MELD reports from its audio workers).</summary>
    private sealed class ConsoleProgress(Action<ImportProgress> write) : IProgress<ImportProgress>
    {
        private readonly Lock gate = new();

        public void Report(ImportProgress value)
        {
            lock (gate) write(value);
        }
    }
}
