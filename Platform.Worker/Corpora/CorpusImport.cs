using EmotionLab.Models.Corpora;

namespace EmotionLab.Worker.Corpora;

/// <summary><c>corpus import</c>: imports MELD or IEMOCAP, prints counts per split (and fold) and label and every problem.</summary>
public static class CorpusImport
{
    public static readonly string[] Formats = ["meld", "iemocap", "emosynth"];

    /// <summary>0 when the corpus was imported (warnings allowed), 1 when the import failed, 2 for a bad argument.</summary>
    public static int Run(string format, string path, string outDir, TextWriter output, TextWriter errors)
    {
        if (!Directory.Exists(path))
        {
            errors.WriteLine($"corpus import: {path} is not a folder");
            return 2;
        }
        var result = format switch
        {
            "meld" => new MeldImporter().Import(path, outDir),
            "emosynth" => new MeldImporter { CorpusName = "emosynth" }.Import(path, outDir),
            "iemocap" => new IemocapImporter().Import(path, outDir),
            _ => null,
        };
        if (result is null)
        {
            errors.WriteLine($"corpus import: unknown format '{format}' (use {string.Join(" or ", Formats)})");
            return 2;
        }

        foreach (var problem in result.Report.Problems) (problem.Severity == ProblemSeverity.Error ? errors : output).WriteLine(problem);
        if (result.Corpus is not { } corpus)
        {
            errors.WriteLine($"corpus import: failed with {result.Report.Errors.Count} error(s) and {result.Report.Warnings.Count} warning(s); nothing was written");
            return 1;
        }

        output.WriteLine($"{corpus.Name}: {corpus.Utterances.Count} utterances in {corpus.Dialogues.Count} dialogues, {corpus.Utterances.Count(u => u.AudioOk)} with usable audio, {result.Report.Warnings.Count} warning(s)");
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
        output.WriteLine($"manifest: {result.ManifestPath}");
        return 0;
    }
}
