using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EmotionLab.Models.Corpora;

/// <summary>
/// Imports MELD (CORPORA.md): the three annotation CSVs, validated row by row, and each clip's
/// audio extracted once to 16 kHz mono PCM16 under <c>OUT/wav/SPLIT/</c>. Any data error fails
/// the whole import (no corpus, no manifest); bad media only mark single utterances unusable.
/// </summary>
public sealed partial class MeldImporter
{
    public const string Header = "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime";

    private static readonly string[] HeaderFields = Header.Split(',');
    private static readonly HashSet<string> Emotions = [.. LabelSets.Meld7.Labels];
    private static readonly HashSet<string> Sentiments = [.. LabelSets.MeldSentiment3.Labels];

    /// <summary>Split, annotation file and media folder, in MELD's release layout.</summary>
    public static IReadOnlyList<(string Split, string Csv, string MediaFolder)> Layout { get; } =
    [
        ("train", "train_sent_emo.csv", "train/train_splits"),
        ("dev", "dev_sent_emo.csv", "dev_splits_complete"),
        ("test", "test_sent_emo.csv", "output_repeated_splits_test"),
    ];

    /// <summary>Clips longer than this are not extracted (EmoBox's rule; MELD's mis-cut clips run for minutes).</summary>
    public double MaxClipSeconds { get; init; } = 30;

    /// <summary>The corpus name and key prefix: "meld", or "emosynth" for EmoSynth, which is written in MELD's layout.</summary>
    public string CorpusName { get; init; } = "meld";

    /// <summary>Clips extracted at once (WAV in this process, anything else by an ffmpeg process each).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    public ClipExtractor Clips { get; init; } = new(new MediaTools());

    /// <summary>Told when each stage starts and as each utterance's audio is done (from the worker threads).</summary>
    public IProgress<ImportProgress>? Progress { get; init; }

    public ImportResult Import(string root, string outDir)
    {
        var problems = new ProblemList();
        Progress?.Report(new ImportProgress("reading the annotation CSVs"));
        var rows = new List<MeldRow>();
        foreach (var (split, csv, _) in Layout) rows.AddRange(ReadCsv(root, split, csv, problems));
        CheckDuplicateKeys(rows, problems);

        var media = new Dictionary<(string Split, int Dia, int Utt), string>();
        foreach (var (split, _, folder) in Layout) IndexMedia(root, split, folder, media, problems);
        var rowKeys = rows.Select(r => (r.Split, r.Dia, r.Utt)).ToHashSet();
        foreach (var (key, file) in media.Where(m => !rowKeys.Contains(m.Key)).OrderBy(m => m.Value, StringComparer.Ordinal))
            problems.Warning(file, null, $"media without a CSV row ({key.Split} dialogue {key.Dia} utterance {key.Utt})", "ignored; no annotation exists for it");

        // Nothing is extracted for a corpus that cannot be imported anyway.
        if (problems.HasErrors) return ImportResult.Failure(problems.ToReport());

        var utterances = new Utterance[rows.Count];
        var audioDone = 0;
        Progress?.Report(new ImportProgress("extracting audio", 0, rows.Count));
        try
        {
            Parallel.For(0, rows.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Parallelism) }, i =>
            {
                utterances[i] = Build(rows[i], root, outDir, media, problems);
                Progress?.Report(new ImportProgress("extracting audio", Interlocked.Increment(ref audioDone), rows.Count));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is Win32Exception))
        {
            problems.Error("", null, $"cannot run ffprobe/ffmpeg: {e.InnerExceptions[0].Message}", "install Debian's ffmpeg (scripts/setup.sh does)");
            return ImportResult.Failure(problems.ToReport());
        }

        var splitOrder = Layout.Select(l => l.Split).ToList();
        var dialogues = utterances
            .GroupBy(u => u.Dialogue)
            .Select(g =>
            {
                var first = g.First();
                return new Dialogue(first.Dialogue, first.Split, null, g.OrderBy(u => u.Index).ToArray());
            })
            .OrderBy(d => splitOrder.IndexOf(d.Split))
            .ThenBy(d => DialogueNumber(d.Key))
            .ToArray();
        var corpus = new Corpus(CorpusName, root, dialogues);
        return ImportResult.Success(corpus, problems.ToReport(), ManifestWriter.Write(corpus, outDir));
    }

    private static int DialogueNumber(string dialogueKey) => int.Parse(dialogueKey[(dialogueKey.LastIndexOf("dia", StringComparison.Ordinal) + 3)..], CultureInfo.InvariantCulture);

    private Utterance Build(MeldRow r, string root, string outDir, Dictionary<(string, int, int), string> media, ProblemList problems)
    {
        var name = $"dia{r.Dia}_utt{r.Utt}";
        var u = new Utterance
        {
            Key = $"{CorpusName}-{r.Split}-{name}",
            Split = r.Split,
            Dialogue = $"{CorpusName}-{r.Split}-dia{r.Dia}",
            Index = r.Utt,
            Speaker = r.Speaker,
            Start = r.Start,
            End = r.End,
            Text = r.Text,
            RawLabel = r.Emotion,
            RawSentiment = r.Sentiment,
            AudioOk = false,
        };
        if (!media.TryGetValue((r.Split, r.Dia, r.Utt), out var mediaFile))
        {
            var expected = $"{Layout.First(l => l.Split == r.Split).MediaFolder}/{name}.mp4";
            problems.Warning(r.File, r.Line, $"missing media {expected}", "audio marked unusable; restore the clip from the MELD release to use it");
            return u with { AudioProblem = "missing media" };
        }
        if (r.Start == r.End)
        {
            problems.Warning(r.File, r.Line, $"StartTime equals EndTime ({r.Start:hh\\:mm\\:ss\\,fff}): the clip is mis-cut", "audio marked unusable; nothing to do");
            return u with { AudioProblem = "StartTime equals EndTime" };
        }

        var source = Path.Combine(root, mediaFile);
        var wav = Path.Combine(outDir, "wav", r.Split, name + ".wav");
        if (!(File.Exists(wav) && File.GetLastWriteTimeUtc(wav) > File.GetLastWriteTimeUtc(source)))
        {
            var extraction = Clips.Extract(source, wav, MaxClipSeconds);
            if (extraction.Problem is { } problem)
            {
                problems.Warning(mediaFile, null, $"undecodable media: {problem}", "audio marked unusable; replace the file from the MELD release to use it");
                return u with { AudioProblem = "undecodable media" };
            }
            if (extraction.Duration is { } tooLong)
            {
                problems.Warning(mediaFile, null, $"clip lasts {tooLong:0.###} s, over the {MaxClipSeconds:0.###} s limit (mis-cut)", "audio marked unusable; not extracted");
                return u with { Duration = tooLong, AudioProblem = $"clip over {MaxClipSeconds:0.###} s" };
            }
        }
        if (WavInfo.TryRead(wav, out var wavProblem) is not { } info)
        {
            problems.Warning(mediaFile, null, $"extracted wav is unreadable: {wavProblem}", $"audio marked unusable; delete {wav} and import again");
            return u with { AudioProblem = "unreadable extracted wav" };
        }
        if (info.Duration > MaxClipSeconds)
        {
            problems.Warning(mediaFile, null, $"clip lasts {info.Duration:0.###} s, over the {MaxClipSeconds:0.###} s limit (mis-cut)", "audio marked unusable");
            return u with { AudioPath = wav, Duration = info.Duration, SampleRate = info.SampleRate, AudioProblem = $"clip over {MaxClipSeconds:0.###} s" };
        }
        return u with { AudioPath = wav, Duration = info.Duration, SampleRate = info.SampleRate, AudioOk = true };
    }

    private static IEnumerable<MeldRow> ReadCsv(string root, string split, string csv, ProblemList problems)
    {
        // The release keeps the CSVs at the top; some unpacked copies keep them in the split folder.
        var file = new[] { csv, $"{split}/{csv}" }.FirstOrDefault(f => File.Exists(Path.Combine(root, f)));
        if (file is null)
        {
            problems.Error(csv, null, "annotation file not found", $"put MELD's {csv} in {root}");
            yield break;
        }
        var bytes = File.ReadAllBytes(Path.Combine(root, file));
        var skip = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes.AsSpan(0, Math.Max(0, e.Index + skip)).Count((byte)'\n');
            problems.Error(file, line, "not valid UTF-8", "re-download the CSV or convert it to UTF-8");
            yield break;
        }

        var reader = new CsvReader(text);
        var records = reader.Records().ToList();
        foreach (var (line, message) in reader.Problems) problems.Error(file, line, $"malformed row: {message}", "fix the quoting of this row");
        if (records.Count == 0 || records[0].Line != 1)
        {
            problems.Error(file, 1, "empty file or missing header", $"the first line must be: {Header}");
            yield break;
        }
        if (!records[0].Fields.SequenceEqual(HeaderFields))
        {
            problems.Error(file, 1, $"wrong header '{string.Join(",", records[0].Fields)}'", $"the first line must be exactly: {Header}");
            yield break;
        }
        foreach (var rec in records.Skip(1))
            if (ParseRow(file, split, rec, problems) is { } row) yield return row;
    }

    private static MeldRow? ParseRow(string file, string split, CsvRecord rec, ProblemList problems)
    {
        var f = rec.Fields;
        if (f.Count != HeaderFields.Length)
        {
            problems.Error(file, rec.Line, $"malformed row: {f.Count} fields, expected {HeaderFields.Length}", "quote fields that contain commas; restore the row from the MELD release");
            return null;
        }
        var ok = true;
        int Int(int i)
        {
            if (int.TryParse(f[i], NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
            problems.Error(file, rec.Line, $"malformed row: {HeaderFields[i]} '{f[i]}' is not a non-negative integer", "restore the row from the MELD release");
            ok = false;
            return -1;
        }
        TimeSpan Time(int i)
        {
            if (ParseTime(f[i]) is { } t) return t;
            problems.Error(file, rec.Line, $"malformed row: {HeaderFields[i]} '{f[i]}' is not a time h:mm:ss,ms", "restore the row from the MELD release");
            ok = false;
            return TimeSpan.Zero;
        }
        Int(0);
        var dia = Int(5);
        var utt = Int(6);
        Int(7);
        Int(8);
        var start = Time(9);
        var end = Time(10);
        if (!Emotions.Contains(f[3]))
        {
            problems.Error(file, rec.Line, $"unknown emotion label '{f[3]}'", $"use one of {string.Join(", ", LabelSets.Meld7.Labels)}");
            ok = false;
        }
        if (!Sentiments.Contains(f[4]))
        {
            problems.Error(file, rec.Line, $"unknown sentiment label '{f[4]}'", $"use one of {string.Join(", ", LabelSets.MeldSentiment3.Labels)}");
            ok = false;
        }
        return ok ? new MeldRow(file, rec.Line, split, dia, utt, Cp1252Repair.Fix(f[2]), Cp1252Repair.Fix(f[1]), f[3], f[4], start, end) : null;
    }

    /// <summary><c>h:mm:ss,mmm</c> with one- or two-digit hours; the fraction after the comma is decimal.</summary>
    internal static TimeSpan? ParseTime(string s)
    {
        var m = TimePattern().Match(s);
        if (!m.Success) return null;
        int P(int g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        if (P(2) > 59 || P(3) > 59) return null;
        var fraction = m.Groups[4].Value;
        var ms = P(4) * (int)Math.Pow(10, 3 - fraction.Length);
        return new TimeSpan(0, P(1), P(2), P(3), ms);
    }

    private static void CheckDuplicateKeys(List<MeldRow> rows, ProblemList problems)
    {
        foreach (var g in rows.GroupBy(r => (r.Split, r.Dia, r.Utt)).Where(g => g.Count() > 1))
        {
            var first = g.First();
            foreach (var dup in g.Skip(1))
                problems.Error(dup.File, dup.Line, $"duplicate key: dialogue {dup.Dia} utterance {dup.Utt} already on line {first.Line}", "remove one of the two rows");
        }
    }

    private static void IndexMedia(string root, string split, string folder, Dictionary<(string, int, int), string> media, ProblemList problems)
    {
        var dir = Path.Combine(root, folder);
        if (!Directory.Exists(dir))
        {
            problems.Warning(folder, null, "media folder not found: every utterance of this split has no audio", $"unpack MELD's {split} videos into {folder}/");
            return;
        }
        foreach (var path in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            // Released MELD has .mp4 clips; EmoSynth, written in MELD's layout, has .wav clips.
            if (name.StartsWith("._", StringComparison.Ordinal) || !(name.EndsWith(".mp4", StringComparison.Ordinal) || name.EndsWith(".wav", StringComparison.Ordinal))) continue;
            var relative = $"{folder}/{name}";
            var m = MediaName().Match(name);
            if (!m.Success)
            {
                problems.Warning(relative, null, "unrecognised media file name (expected diaD_uttU.mp4 or .wav)", "ignored");
                continue;
            }
            var key = (split, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
            // The plain name wins over the final_videos_test variant when both exist.
            if (!media.TryGetValue(key, out var existing) || Path.GetFileName(existing).StartsWith("final_videos_test", StringComparison.Ordinal))
                media[key] = relative;
        }
    }

    [GeneratedRegex(@"^(\d{1,2}):(\d{2}):(\d{2}),(\d{1,3})$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^(final_videos_test)?dia(\d+)_utt(\d+)\.(mp4|wav)$")]
    private static partial Regex MediaName();

    private sealed record MeldRow(string File, int Line, string Split, int Dia, int Utt, string Speaker, string Text, string Emotion, string Sentiment, TimeSpan Start, TimeSpan End);
}
