using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>IEMOCAP data errors fail the import with every problem listed; the full-corpus count check fires only with all five sessions.</summary>
public sealed class IemocapImportErrorTests : IDisposable
{
    private readonly string folder = CorpusFiles.NewTempFolder("iemocap-errors");
    private string Root => Path.Combine(folder, "IEMOCAP_full_release");
    private string Out => Path.Combine(folder, "out");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Malformed_lines_unknown_labels_duplicates_and_missing_text_are_errors()
    {
        CorpusFiles.WriteLf(Root, "Session1/dialog/EmoEvaluation/Ses01F_impro01.txt",
            "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]",
            "[1.0000 - 2.0000]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]",
            "[2.0000 - 3.0000]\tSes01F_impro01_M000\thappy\t[2.5000, 2.5000, 2.5000]",
            "[3.0000 - 4.0000] Ses01F_impro01_M001 neu [2.5000, 2.5000, 2.5000]",
            "[4.0000 - 5.0000]\tSes01F_impro01_F000\tsad\t[2.5000, 2.5000, 2.5000]",
            "[5.0000 - 6.0000]\tSes01F_impro01_F001\tsad\t[2.5000, 2.5000, 2.5000]",
            "[6.0000 - 7.0000]\tSes02F_impro01_F002\tsad\t[2.5000, 2.5000, 2.5000]");
        CorpusFiles.WriteLf(Root, "Session1/dialog/transcriptions/Ses01F_impro01.txt",
            "Ses01F_impro01_F000 [001.0000-002.0000]: One.",
            "Ses01F_impro01_F000 without a time",
            "Ses01F_impro01_FXX0 [002.5000-002.7000]: [BREATHING]");

        var result = new IemocapImporter().Import(Root, Out);

        Assert.False(result.Succeeded);
        Assert.False(File.Exists(Path.Combine(Out, "iemocap.jsonl")));
        Assert.Equal(
            [
                ("Session1/dialog/EmoEvaluation/Ses01F_impro01.txt", (int?)3, "unknown emotion label 'happy'"),
                ("Session1/dialog/EmoEvaluation/Ses01F_impro01.txt", 4, "malformed summary line '[3.0000 - 4.0000] Ses01F_impro01_M001 neu [2.5000, 2.5000, 2.5000]'"),
                ("Session1/dialog/EmoEvaluation/Ses01F_impro01.txt", 5, "duplicate key: turn Ses01F_impro01_F000 already on Session1/dialog/EmoEvaluation/Ses01F_impro01.txt:2"),
                ("Session1/dialog/EmoEvaluation/Ses01F_impro01.txt", 7, "turn id 'Ses02F_impro01_F002' does not belong to dialog Ses01F_impro01 of Session 1"),
                ("Session1/dialog/transcriptions/Ses01F_impro01.txt", null, "no transcription line for turn Ses01F_impro01_F001 (Session1/dialog/EmoEvaluation/Ses01F_impro01.txt:6)"),
                ("Session1/dialog/transcriptions/Ses01F_impro01.txt", 2, "malformed transcription line 'Ses01F_impro01_F000 without a time'"),
            ],
            result.Report.Errors.Select(p => (p.File, p.Line, p.Message)));
    }

    [Fact]
    public void With_all_five_sessions_the_published_four_class_counts_are_checked()
    {
        for (var s = 1; s <= 5; s++)
        {
            var dialog = $"Ses0{s}F_impro01";
            CorpusFiles.WriteLf(Root, $"Session{s}/dialog/EmoEvaluation/{dialog}.txt", $"[1.0000 - 2.0000]\t{dialog}_F000\tneu\t[2.5000, 2.5000, 2.5000]");
            CorpusFiles.WriteLf(Root, $"Session{s}/dialog/transcriptions/{dialog}.txt", $"{dialog}_F000 [001.0000-002.0000]: Hello.");
        }

        var result = new IemocapImporter().Import(Root, Out);

        Assert.False(result.Succeeded);
        Assert.Equal(
            [
                "4-class label ang has 0 utterances, the full IEMOCAP gives 1103",
                "4-class label hap has 0 utterances, the full IEMOCAP gives 1636",
                "4-class label neu has 5 utterances, the full IEMOCAP gives 1708",
                "4-class label sad has 0 utterances, the full IEMOCAP gives 1084",
                "4-class test folds hold 1/1/1/1/1 utterances, the full IEMOCAP gives 1085/1023/1151/1031/1241",
            ],
            result.Report.Errors.Select(p => p.Message));
        Assert.Equal(5, result.Report.Warnings.Count(w => w.Message.StartsWith("missing audio")));
    }

    [Fact]
    public void A_folder_without_sessions_is_an_error() =>
        Assert.Equal(["no Session1..Session5 folder"], new IemocapImporter().Import(folder, Out).Report.Errors.Select(p => p.Message));

    [Fact]
    public void Validation_is_every_tenth_training_dialogue_by_sorted_name_and_session_5_is_test()
    {
        var dialogues = Enumerable.Range(0, 25).Select(i => ($"Ses0{1 + i % 4}F_d{i:00}", 1 + i % 4))
            .Append(("Ses05F_impro01", 5)).Reverse().ToArray();

        var split = IemocapErcSplit.Assign(dialogues);

        var sorted = dialogues.Where(d => d.Item2 != 5).Select(d => d.Item1).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal([sorted[9], sorted[19]], split.Where(kv => kv.Value == "valid").Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.Equal("test", split["Ses05F_impro01"]);
        Assert.Equal(23, split.Count(kv => kv.Value == "train"));
    }
}
