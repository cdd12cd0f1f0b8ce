using EmotionLab.Models.Corpora;

namespace EmotionLab.Worker.Corpora;

/// <summary>The corpus layouts the platform imports, and the importer for each.</summary>
public static class CorpusFormats
{
    public static readonly string[] All = ["meld", "iemocap", "emosynth"];

    /// <summary>Whether the format's importer extracts audio under OUT/wav (MELD's layout) rather than using the corpus's own wavs.</summary>
    public static bool ExtractsAudio(string format) => format is "meld" or "emosynth";

    /// <summary>Imports <paramref name="source"/> with the format's importer (all or nothing); unknown formats throw.</summary>
    public static ImportResult Import(string format, string source, string outDir, IProgress<ImportProgress>? progress = null) => format switch
    {
        "meld" => new MeldImporter { Progress = progress }.Import(source, outDir),
        "emosynth" => new MeldImporter { CorpusName = "emosynth", Progress = progress }.Import(source, outDir),
        "iemocap" => new IemocapImporter { Progress = progress }.Import(source, outDir),
        _ => throw new ArgumentException($"unknown corpus format '{format}' (use {string.Join(", ", All)})", nameof(format)),
    };
}
