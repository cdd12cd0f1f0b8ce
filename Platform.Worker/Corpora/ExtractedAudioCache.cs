using EmotionLab.Models.Corpora;

namespace EmotionLab.Worker.Corpora;

/// <summary>
/// Keeps a corpus folder's extracted audio honest. MeldImporter reuses OUT/wav/SPLIT/diaD_uttU.wav
/// when it is newer than its clip; that is right only if the wav came from the same source folder.
/// A marker file records the source the wavs came from; registering another source into the folder
/// deletes those wavs first (and again if that registration fails, so they cannot pass for the
/// stored corpus's audio). Only the importer's own wav files are deleted, nothing else.
/// </summary>
public static class ExtractedAudioCache
{
    public const string MarkerFile = "audio-source.txt";

    /// <summary>True when the folder's wavs (if any) came from elsewhere and were deleted.</summary>
    public static bool Prepare(string outputFolder, string sourcePath)
    {
        var marker = Path.Combine(outputFolder, MarkerFile);
        if (File.Exists(marker) && File.ReadAllText(marker) == sourcePath) return false;
        Discard(outputFolder);
        return true;
    }

    /// <summary>Records that the folder's wavs now come from <paramref name="sourcePath"/>.</summary>
    public static void Keep(string outputFolder, string sourcePath)
    {
        Directory.CreateDirectory(outputFolder);
        File.WriteAllText(Path.Combine(outputFolder, MarkerFile), sourcePath);
    }

    public static void Discard(string outputFolder)
    {
        var marker = Path.Combine(outputFolder, MarkerFile);
        if (File.Exists(marker)) File.Delete(marker);
        foreach (var (split, _, _) in MeldImporter.Layout)
        {
            var folder = Path.Combine(outputFolder, "wav", split);
            if (!Directory.Exists(folder)) continue;
            foreach (var wav in Directory.EnumerateFiles(folder, "dia*_utt*.wav")) File.Delete(wav);
        }
    }
}
