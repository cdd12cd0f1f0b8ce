using System.Globalization;
using System.Text.RegularExpressions;

namespace EmotionLab.Models.Corpora;

/// <summary>
/// Imports IEMOCAP (CORPORA.md) from <c>Session{1..5}/</c>: labels from the EmoEvaluation summary
/// lines, text from the transcriptions, audio from <c>sentences/wav</c> (already 16 kHz mono, used
/// in place). Fold = session (leave-one-session-out); split = <see cref="IemocapErcSplit"/>.
/// Labels are the EmoEvaluation majority categories (the 6-class ERC set derived this way has 7,380
/// utterances, 53 fewer hap than the COSMIC lists). Each dialogue holds its labelled turns in time
/// order and <see cref="Utterance.Index"/> is that position. Data errors fail the import; missing
/// or unreadable wavs are warnings.
/// </summary>
public sealed partial class IemocapImporter
{
    /// <summary>
    /// The full corpus's 4-class (<see cref="LabelSets.Iemocap4"/>) test-fold sizes, Sessions 1..5, and
    /// label totals. Checked only when all five sessions are imported: a mismatch means an
    /// incomplete or altered copy, and scores on it would not be comparable with published ones.
    /// </summary>
    public static IReadOnlyList<int> FullCorpusFourClassFolds { get; } = [1085, 1023, 1151, 1031, 1241];

    public static IReadOnlyDictionary<string, int> FullCorpusFourClassLabels { get; } =
        new Dictionary<string, int> { ["neu"] = 1708, ["hap"] = 1636, ["ang"] = 1103, ["sad"] = 1084 };

    /// <summary>EmoEvaluation majority categories; xxx = the evaluators had no majority.</summary>
    public static IReadOnlyList<string> Categories { get; } = ["neu", "hap", "sad", "ang", "exc", "fru", "sur", "fea", "dis", "oth", "xxx"];

    /// <summary>Told as each session has been read (its labels, transcriptions and wav headers).</summary>
    public IProgress<ImportProgress>? Progress { get; init; }

    public ImportResult Import(string root, string outDir)
    {
        var problems = new ProblemList();
        var sessions = Enumerable.Range(1, 5).Where(s => Directory.Exists(Path.Combine(root, $"Session{s}"))).ToArray();
        if (sessions.Length == 0)
        {
            problems.Error("", null, "no Session1..Session5 folder", $"point --path at the IEMOCAP_full_release folder (found nothing under {root})");
            return ImportResult.Failure(problems.ToReport());
        }

        var turns = new List<Turn>();
        Progress?.Report(new ImportProgress("reading sessions", 0, sessions.Length, "sessions"));
        for (var i = 0; i < sessions.Length; i++)
        {
            turns.AddRange(ReadSession(root, sessions[i], problems));
            Progress?.Report(new ImportProgress("reading sessions", i + 1, sessions.Length, "sessions"));
        }
        if (problems.HasErrors) return ImportResult.Failure(problems.ToReport());

        var splits = IemocapErcSplit.Assign(turns.Select(t => (t.Dialog, t.Session)).Distinct());
        var dialogues = turns
            .GroupBy(t => t.Dialog)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var split = splits[g.Key];
                var ordered = g.OrderBy(t => t.Start).ThenBy(t => t.Id, StringComparer.Ordinal).ToArray();
                var utterances = ordered.Select((t, i) => ToUtterance(t, i, split)).ToArray();
                return new Dialogue($"iemocap-{g.Key}", split, g.First().Session, utterances);
            })
            .ToArray();
        var corpus = new Corpus("iemocap", root, dialogues);

        if (sessions.Length == 5) CheckFullCorpus(corpus, problems);
        if (problems.HasErrors) return ImportResult.Failure(problems.ToReport());
        return ImportResult.Success(corpus, problems.ToReport(), ManifestWriter.Write(corpus, outDir));
    }

    /// <summary>Compares the 4-class counts with the published full-corpus figures; adds an error per mismatch.</summary>
    internal static void CheckFullCorpus(Corpus corpus, ProblemList problems)
    {
        var folds = LabelSets.Iemocap4.CountsPerFold(corpus.Utterances);
        var sizes = Enumerable.Range(1, 5).Select(s => folds.Total(s.ToString())).ToArray();
        if (!sizes.SequenceEqual(FullCorpusFourClassFolds))
            problems.Error("", null, $"4-class test folds hold {string.Join("/", sizes)} utterances, the full IEMOCAP gives {string.Join("/", FullCorpusFourClassFolds)}",
                "the copy is incomplete or altered; unpack IEMOCAP_full_release again");
        var labels = LabelSets.Iemocap4.CountsPerSplit(corpus.Utterances);
        foreach (var (label, expected) in FullCorpusFourClassLabels)
        {
            var found = labels.Groups.Sum(g => labels[g, label]);
            if (found != expected)
                problems.Error("", null, $"4-class label {label} has {found} utterances, the full IEMOCAP gives {expected}", "the copy is incomplete or altered; unpack IEMOCAP_full_release again");
        }
    }

    private static Utterance ToUtterance(Turn t, int index, string split) => new()
    {
        Key = $"iemocap-{t.Id}",
        Split = split,
        Fold = t.Session,
        Dialogue = $"iemocap-{t.Dialog}",
        Index = index,
        Speaker = t.Speaker,
        Start = t.Start,
        End = t.End,
        Text = t.Text,
        RawLabel = t.Category,
        AudioPath = t.Wav,
        Duration = t.Duration,
        SampleRate = t.SampleRate,
        AudioOk = t.AudioProblem is null,
        AudioProblem = t.AudioProblem,
    };

    private static List<Turn> ReadSession(string root, int session, ProblemList problems)
    {
        var evalFolder = $"Session{session}/dialog/EmoEvaluation";
        var transFolder = $"Session{session}/dialog/transcriptions";
        var wavFolder = $"Session{session}/sentences/wav";
        var turns = new List<Turn>();
        if (!Directory.Exists(Path.Combine(root, evalFolder)))
        {
            problems.Error(evalFolder, null, "EmoEvaluation folder not found", "unpack the whole session");
            return turns;
        }
        var seen = new Dictionary<string, (string File, int Line)>(StringComparer.Ordinal);
        foreach (var path in VisibleFiles(Path.Combine(root, evalFolder), "*.txt"))
        {
            var dialog = Path.GetFileNameWithoutExtension(path);
            var evalFile = $"{evalFolder}/{dialog}.txt";
            var labelled = ReadEvaluation(evalFile, File.ReadAllLines(path), session, dialog, seen, problems);
            var transFile = $"{transFolder}/{dialog}.txt";
            var texts = File.Exists(Path.Combine(root, transFile))
                ? ReadTranscription(transFile, File.ReadAllLines(Path.Combine(root, transFile)), problems)
                : null;
            if (texts is null && labelled.Count > 0)
                problems.Error(transFile, null, "transcription file not found", "unpack the whole session");
            foreach (var t in labelled)
            {
                if (texts is null) continue;
                if (!texts.Remove(t.Id, out var text))
                {
                    problems.Error(transFile, null, $"no transcription line for turn {t.Id} ({evalFile}:{t.Line})", "restore the transcription file from the release");
                    continue;
                }
                turns.Add(WithAudio(t with { Text = text }, root, wavFolder, problems));
            }
            foreach (var (id, _) in texts ?? [])
                problems.Warning(transFile, null, $"transcribed turn {id} has no EmoEvaluation summary line", "ignored: it has no label");
        }
        var ids = turns.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(Path.Combine(root, wavFolder)))
            foreach (var dir in Directory.EnumerateDirectories(Path.Combine(root, wavFolder)).Order(StringComparer.Ordinal))
                foreach (var wav in VisibleFiles(dir, "*.wav"))
                    if (!ids.Contains(Path.GetFileNameWithoutExtension(wav)) && !seen.ContainsKey(Path.GetFileNameWithoutExtension(wav)))
                        problems.Warning($"{wavFolder}/{Path.GetFileName(dir)}/{Path.GetFileName(wav)}", null, "audio without an EmoEvaluation summary line", "ignored: it has no label");
        return turns;
    }

    /// <summary>Files of a folder in ordinal order, without macOS's <c>._</c> resource-fork files.</summary>
    private static IEnumerable<string> VisibleFiles(string dir, string pattern) =>
        Directory.EnumerateFiles(dir, pattern).Where(f => !Path.GetFileName(f).StartsWith("._", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    private static List<Turn> ReadEvaluation(string file, string[] lines, int session, string dialog, Dictionary<string, (string File, int Line)> seen, ProblemList problems)
    {
        var turns = new List<Turn>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            // Per-evaluator lines (C-, A-), the % header and blank lines carry nothing the summary lacks.
            if (line.Length == 0 || line.StartsWith('%') || line.StartsWith("C-", StringComparison.Ordinal) || line.StartsWith("A-", StringComparison.Ordinal)) continue;
            var n = i + 1;
            var m = SummaryLine().Match(line);
            if (!m.Success)
            {
                problems.Error(file, n, $"malformed summary line '{line}'", "expected '[start - end]<TAB>turn<TAB>category<TAB>[v, a, d]'");
                continue;
            }
            var id = m.Groups[3].Value;
            var category = m.Groups[4].Value;
            var turn = TurnId().Match(id);
            if (!turn.Success || turn.Groups[2].Value != session.ToString() || turn.Groups[1].Value != dialog)
            {
                problems.Error(file, n, $"turn id '{id}' does not belong to dialog {dialog} of Session {session}", "restore the file from the release");
                continue;
            }
            if (!Categories.Contains(category))
            {
                problems.Error(file, n, $"unknown emotion label '{category}'", $"use one of {string.Join(" ", Categories)}");
                continue;
            }
            if (seen.TryGetValue(id, out var first))
            {
                problems.Error(file, n, $"duplicate key: turn {id} already on {first.File}:{first.Line}", "remove one of the two lines");
                continue;
            }
            seen[id] = (file, n);
            turns.Add(new Turn(id, dialog, session, $"Ses0{session}{turn.Groups[3].Value}", Seconds(m.Groups[1].Value), Seconds(m.Groups[2].Value), category, n));
        }
        return turns;
    }

    private static Dictionary<string, string> ReadTranscription(string file, string[] lines, ProblemList problems)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var m = TranscriptionLine().Match(line);
            if (!m.Success)
            {
                problems.Error(file, i + 1, $"malformed transcription line '{line}'", "expected 'turn [start-end]: text'");
                continue;
            }
            // MXX/FXX turns are other voices with neither audio nor label.
            if (NoAudioTurn().IsMatch(m.Groups[1].Value)) continue;
            if (!texts.TryAdd(m.Groups[1].Value, m.Groups[2].Value))
                problems.Error(file, i + 1, $"duplicate key: turn {m.Groups[1].Value} transcribed twice", "remove one of the two lines");
        }
        return texts;
    }

    private static Turn WithAudio(Turn t, string root, string wavFolder, ProblemList problems)
    {
        var relative = $"{wavFolder}/{t.Dialog}/{t.Id}.wav";
        var path = Path.Combine(root, relative);
        if (!File.Exists(path))
        {
            problems.Warning(relative, null, $"missing audio for turn {t.Id}", "audio marked unusable; restore the wav from the release to use it");
            return t with { AudioProblem = "missing audio" };
        }
        if (WavInfo.TryRead(path, out var why) is not { } info)
        {
            problems.Warning(relative, null, $"unreadable wav: {why}", "audio marked unusable; restore the wav from the release to use it");
            return t with { AudioProblem = "unreadable wav" };
        }
        var withInfo = t with { Wav = path, Duration = info.Duration, SampleRate = info.SampleRate };
        if (info is not { SampleRate: 16000, Channels: 1, BitsPerSample: 16 })
        {
            problems.Warning(relative, null, $"wav is {info.SampleRate} Hz, {info.Channels} channel(s), {info.BitsPerSample}-bit; expected 16 kHz mono 16-bit", "audio marked unusable; restore the wav from the release");
            return withInfo with { AudioProblem = "not 16 kHz mono PCM16" };
        }
        return withInfo;
    }

    private static TimeSpan Seconds(string s) => TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^\[(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\]\t+(\S+)\t+(\S+)\t+\[[^\]]*\]$")]
    private static partial Regex SummaryLine();

    /// <summary>Ses0{s}{F|M}_{rest}_{F|M}{NNN}: group 1 the dialog name, 2 the session, 3 the turn's speaker letter (the LAST F/M).</summary>
    [GeneratedRegex(@"^(Ses0(\d)[FM]_.+)_([FM])\d{3}$")]
    private static partial Regex TurnId();

    [GeneratedRegex(@"^(\S+) \[[\d.]+-[\d.]+\]:\s?(.*)$")]
    private static partial Regex TranscriptionLine();

    [GeneratedRegex(@"_[FM]XX\d*$")]
    private static partial Regex NoAudioTurn();

    private sealed record Turn(string Id, string Dialog, int Session, string Speaker, TimeSpan Start, TimeSpan End, string Category, int Line)
    {
        public string Text { get; init; } = "";
        public string? Wav { get; init; }
        public double? Duration { get; init; }
        public int? SampleRate { get; init; }
        public string? AudioProblem { get; init; }
    }
}
