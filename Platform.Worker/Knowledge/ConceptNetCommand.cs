using System.CommandLine;
using System.Globalization;
using EmotionLab.Models.Knowledge;

namespace EmotionLab.Worker.Knowledge;

/// <summary>
/// <c>conceptnet import FILE [--artifacts DIR]</c>: builds the relations index KWRT reads from a
/// local copy of ConceptNet's assertions file (<see cref="ConceptNetImporter"/>), prints what it
/// kept and where the index is. Exit 0 when imported, 1 when the file is malformed or unreadable
/// (nothing written, a previous index kept), 2 for a file that does not exist.
/// </summary>
public static class ConceptNetCommand
{
    public static Command Create()
    {
        var conceptnet = new Command("conceptnet", "ConceptNet knowledge for the joint-vector family's KWRT (IsA, HasContext, Causes of English words).");
        var file = new Argument<string>("FILE") { Description = "ConceptNet's assertions file: conceptnet-assertions-5.7.0.csv, or .csv.gz (decompressed while reading)." };
        var artifacts = new Option<string?>("--artifacts") { HelpName = "DIR", Description = "Artifact root to write ARTIFACTS/conceptnet/relations-v1.tsv under (default: Worker__ArtifactRoot or ./artifacts)." };
        var import = new Command("import", "Import English IsA/HasContext/Causes relations into the artifact root, replacing a previous import; all or nothing, a malformed line is reported with its line number.")
            { file, artifacts };
        import.SetAction((result, cancellation) => Task.FromResult(Import(result.GetValue(file)!, result.GetValue(artifacts),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellation)));
        conceptnet.Subcommands.Add(import);
        return conceptnet;
    }

    /// <summary>Imports <paramref name="file"/> under <paramref name="artifactRoot"/> (null: Worker__ArtifactRoot or ./artifacts, as the worker node uses).</summary>
    public static int Import(string file, string? artifactRoot, TextWriter output, TextWriter errors, CancellationToken cancellation = default)
    {
        if (!File.Exists(file))
        {
            errors.WriteLine($"conceptnet import: {file} does not exist");
            return 2;
        }
        var root = Path.GetFullPath(artifactRoot ?? Environment.GetEnvironmentVariable("Worker__ArtifactRoot") ?? "artifacts");
        try
        {
            var summary = ConceptNetImporter.Import(file, root, new LinesReadLog(output), cancellation);
            output.WriteLine($"lines read: {summary.LinesRead}");
            output.WriteLine($"kept: {string.Join(", ", summary.KeptPerRelation.Select(kv => $"{kv.Key} {kv.Value}"))} ({summary.DuplicatesMerged} duplicate(s) merged)");
            output.WriteLine($"words: {summary.Words}");
            output.WriteLine($"relations: {summary.Relations}");
            output.WriteLine(FormattableString.Invariant($"seconds: {summary.Elapsed.TotalSeconds:F1}"));
            output.WriteLine($"index: {summary.IndexPath}");
            return 0;
        }
        catch (Exception e) when (e is ConceptNetFormatException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            errors.WriteLine($"conceptnet import: {(e is OperationCanceledException ? "canceled" : e.Message)}; nothing was written");
            return 1;
        }
    }

    // One line per million lines: the real file has ~34 million, and the log is read, not redrawn.
    private sealed class LinesReadLog(TextWriter output) : IProgress<long>
    {
        public void Report(long value) => output.WriteLine($"read {value.ToString("N0", CultureInfo.InvariantCulture)} lines");
    }
}
