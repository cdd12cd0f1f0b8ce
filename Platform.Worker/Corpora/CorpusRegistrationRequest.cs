using System.Text.RegularExpressions;
using EmotionLab.Models.Corpora;

namespace EmotionLab.Worker.Corpora;

/// <summary>
/// Import the folder <see cref="SourcePath"/> (in <see cref="Format"/>'s layout) into
/// <see cref="OutputFolder"/> and store it in the database as <see cref="Name"/>;
/// <see cref="Replace"/> allows overwriting a corpus of that name (keeping its id).
/// </summary>
public sealed partial record CorpusRegistrationRequest(string Name, string Format, string SourcePath, string OutputFolder, bool Replace = false)
{
    /// <summary>Where a corpus's extracted audio and manifest go under an artifact root; the trainer imports into the same folder.</summary>
    public static string OutputFolderFor(string artifactRoot, string name) => Path.Combine(artifactRoot, "corpora", name);

    /// <summary>Problems with the request itself (name, format, folder), each naming the field in <see cref="ImportProblem.File"/>'s place.</summary>
    public IReadOnlyList<ImportProblem> Validate()
    {
        var problems = new List<ImportProblem>();
        void Add(string message, string remedy) => problems.Add(new ImportProblem("", null, message, remedy, ProblemSeverity.Error));
        if (!NamePattern().IsMatch(Name ?? ""))
            Add($"corpus name '{Name}' is not usable", "use 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit (it also names the corpus's artifact folder)");
        else if (CorpusFormats.All.Contains(Format) && Models.Corpora.LabelSets.FormatOf(Name ?? "") != Format)
            Add($"corpus name '{Name}' does not start with its format '{Format}'",
                $"name it '{Format}' or '{Format}-something' (e.g. '{Format}-small'): the name says which label sets apply");
        if (!CorpusFormats.All.Contains(Format))
            Add($"unknown corpus format '{Format}'", $"use one of {string.Join(", ", CorpusFormats.All)}");
        if (string.IsNullOrWhiteSpace(SourcePath) || !Path.IsPathFullyQualified(SourcePath))
            Add($"source folder '{SourcePath}' is not an absolute path", "give the corpus folder's full path on the server, e.g. /data/MELD.Raw");
        else if (!Directory.Exists(SourcePath))
            Add($"source folder {SourcePath} does not exist on the server", "check the path; it must be readable by the platform's process");
        return problems;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex NamePattern();
}
