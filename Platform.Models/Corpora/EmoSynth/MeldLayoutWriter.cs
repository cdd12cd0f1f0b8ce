using System.Globalization;
using System.Text;

namespace EmotionLab.Models.Corpora.EmoSynth;

/// <summary>
/// Writes a corpus in MELD's released layout: the three annotation CSVs with MELD's exact header,
/// UTF-8 without BOM, CRLF line ends, quoted text and `h:mm:ss,ms` times, and the media folders
/// holding dia{D}_utt{U} files, so the MELD importer reads it unchanged.
/// </summary>
public static class MeldLayoutWriter
{
    public const string Header = "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime";

    public static string CsvName(string split) => $"{split}_sent_emo.csv";

    public static string MediaFolder(string split) => split switch
    {
        "train" => Path.Combine("train", "train_splits"),
        "dev" => "dev_splits_complete",
        "test" => "output_repeated_splits_test",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "MELD has train, dev and test"),
    };

    public static string MediaName(int dialogueId, int utteranceId, string extension) => $"dia{dialogueId}_utt{utteranceId}{extension}";

    /// <summary>Writes one split's CSV; rows must be in dialogue then utterance order.</summary>
    public static void WriteCsv(string path, IEnumerable<(PlannedUtterance utterance, double start, double end, int season, int episode)> rows)
    {
        var text = new StringBuilder(Header).Append("\r\n");
        var serial = 1;
        foreach (var (u, start, end, season, episode) in rows)
        {
            text.Append(serial++).Append(',')
                .Append(Quote(u.Text)).Append(',')
                .Append(u.Speaker.Name).Append(',')
                .Append(u.Emotion).Append(',')
                .Append(u.Sentiment).Append(',')
                .Append(u.DialogueId).Append(',')
                .Append(u.UtteranceId).Append(',')
                .Append(season).Append(',')
                .Append(episode).Append(',')
                .Append(Quote(Time(start))).Append(',')
                .Append(Quote(Time(end))).Append("\r\n");
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"") + "\"";

    // MELD writes hours without a leading zero at times (0:13:40,766); so do we.
    private static string Time(double seconds)
    {
        var t = TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));
        return string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00},{t.Milliseconds:000}");
    }
}
