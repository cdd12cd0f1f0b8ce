using System.Text.RegularExpressions;
using EmotionLab.Models.Corpora.EmoSynth;

namespace EmotionLab.Worker.Tests;

/// <summary>
/// A small EmoSynth (10 dialogues: train, dev and test all present) and copies of it to corrupt,
/// under one temporary folder removed at the end.
/// </summary>
public sealed class SmallEmoSynth : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("corpus-registration-").FullName;
    public string Corpus => Path.Combine(Root, "emosynth");
    public string Artifacts => Path.Combine(Root, "artifacts");

    public Task InitializeAsync() => EmoSynthGenerator.GenerateAsync(Corpus, new EmoSynthOptions(10, Seed: 5) { MinTurns = 3, MaxTurns = 6 });

    /// <summary>A copy of the corpus in a new folder (CSVs and audio).</summary>
    public string Copy(string name)
    {
        var copy = Path.Combine(Root, name);
        foreach (var file in Directory.EnumerateFiles(Corpus, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Corpus, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    /// <summary>
    /// A copy whose dev_sent_emo.csv has, on line 3 (the second data row), the Utterance_ID "one"
    /// instead of a number. Returns the folder and the line.
    /// </summary>
    public (string Folder, int Line) CopyWithMalformedRow(string name)
    {
        var copy = Copy(name);
        var csv = Path.Combine(copy, "dev_sent_emo.csv");
        var lines = File.ReadAllText(csv).Split("\r\n");
        // Sr No.,"Utterance",Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,...: the seventh field becomes "one".
        var row = Regex.Match(lines[2], "^(\\d+,\"(?:[^\"]|\"\")*\",[^,]*,[^,]*,[^,]*,\\d+,)(\\d+)(,.*)$");
        if (!row.Success) throw new InvalidOperationException($"unexpected EmoSynth row: {lines[2]}");
        lines[2] = row.Groups[1].Value + "one" + row.Groups[3].Value;
        File.WriteAllText(csv, string.Join("\r\n", lines));
        return (copy, 3);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
