using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>The IEMOCAP importer on a small tree: turns, speakers, order, folds, splits, warnings, counts.</summary>
public sealed class IemocapImporterTests(IemocapTreeFixture tree) : IClassFixture<IemocapTreeFixture>
{
    [Fact]
    public void Dialogues_hold_their_labelled_turns_in_time_order_without_mxx_turns_or_macos_files()
    {
        Assert.True(tree.Result.Succeeded, tree.Result.Report.ToString());
        Assert.Equal(["iemocap-Ses01F_impro01", "iemocap-Ses01M_script01_1", "iemocap-Ses02F_impro02", "iemocap-Ses05M_impro03"], tree.Corpus.Dialogues.Select(d => d.Key));
        var d = tree.Dialogue("Ses01F_impro01");
        Assert.Equal(
            ["iemocap-Ses01F_impro01_F000", "iemocap-Ses01F_impro01_M000", "iemocap-Ses01F_impro01_F001", "iemocap-Ses01F_impro01_M001", "iemocap-Ses01F_impro01_F002"],
            d.Utterances.Select(u => u.Key));
        Assert.Equal([0, 1, 2, 3, 4], d.Utterances.Select(u => u.Index));
        Assert.Equal(["neu", "exc", "ang", "fru", "xxx"], d.Utterances.Select(u => u.RawLabel));
        Assert.Equal(["Excuse me.", "Do you have your forms?", "Yeah. [LAUGHTER]", "Let me see them.", "Is there a problem?"], d.Utterances.Select(u => u.Text));
        Assert.Equal(15, tree.Corpus.Utterances.Count);
    }

    [Fact]
    public void Turn_fields_come_from_the_summary_line_and_the_wav()
    {
        var u = tree.Corpus["iemocap-Ses01F_impro01_F000"];
        Assert.Equal(TimeSpan.FromSeconds(6.2901), u.Start);
        Assert.Equal(TimeSpan.FromSeconds(8.2357), u.End);
        Assert.Equal(Path.Combine(tree.Root, "Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F000.wav"), u.AudioPath);
        Assert.Equal(16000, u.SampleRate);
        Assert.Equal(0.25, u.Duration!.Value, 3);
        Assert.True(u.AudioOk);
        Assert.Equal(1, u.Fold);
        Assert.Null(u.RawSentiment);
    }

    [Fact]
    public void Speaker_is_the_session_and_the_last_f_or_m_of_the_turn_id()
    {
        Assert.Equal(["Ses01F", "Ses01F", "Ses01M", "Ses01M", "Ses01F"], tree.Dialogue("Ses01M_script01_1").Utterances.Select(u => u.Speaker));
        Assert.Equal(["Ses05F", "Ses05M", "Ses05F"], tree.Dialogue("Ses05M_impro03").Utterances.Select(u => u.Speaker));
    }

    [Fact]
    public void Fold_is_the_session_and_session_5_is_the_erc_test_split()
    {
        Assert.Equal([1, 1, 2, 5], tree.Corpus.Dialogues.Select(d => d.Fold!.Value));
        Assert.Equal(["train", "train", "train", "test"], tree.Corpus.Dialogues.Select(d => d.Split));
        Assert.All(tree.Corpus.Dialogues, d => Assert.All(d.Utterances, u => Assert.Equal((d.Split, d.Fold), (u.Split, u.Fold))));
    }

    [Fact]
    public void Missing_and_unlabelled_files_are_warnings()
    {
        Assert.Equal(
            [
                ("Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F002.wav", (int?)null, "missing audio for turn Ses01F_impro01_F002"),
                ("Session2/dialog/transcriptions/Ses02F_impro02.txt", null, "transcribed turn Ses02F_impro02_M001 has no EmoEvaluation summary line"),
                ("Session2/sentences/wav/Ses02F_impro02/Ses02F_impro02_F009.wav", null, "audio without an EmoEvaluation summary line"),
            ],
            tree.Result.Report.Problems.Select(p => (p.File, p.Line, p.Message)));
        var u = tree.Corpus["iemocap-Ses01F_impro01_F002"];
        Assert.False(u.AudioOk);
        Assert.Equal("missing audio", u.AudioProblem);
        Assert.Null(u.AudioPath);
    }

    [Fact]
    public void Four_class_counts_merge_exc_into_hap_per_fold_and_six_class_counts_per_split()
    {
        var folds = LabelSets.Iemocap4.CountsPerFold(tree.Corpus.Utterances);
        Assert.Equal(["1", "2", "5"], folds.Groups);
        Assert.Equal([2, 2, 2, 2], LabelSets.Iemocap4.Labels.Select(l => folds["1", l]));
        Assert.Equal([1, 0, 0, 1], LabelSets.Iemocap4.Labels.Select(l => folds["2", l]));
        Assert.Equal([1, 1, 0, 0], LabelSets.Iemocap4.Labels.Select(l => folds["5", l]));
        Assert.Equal((8, 2, 2), (folds.Total("1"), folds.Total("2"), folds.Total("5")));

        var six = LabelSets.Iemocap6.CountsPerSplit(tree.Corpus.Utterances);
        Assert.Equal([1, 3, 3, 2, 1, 1], LabelSets.Iemocap6.Labels.Select(l => six["train", l]));
        Assert.Equal([1, 0, 1, 0, 0, 0], LabelSets.Iemocap6.Labels.Select(l => six["test", l]));
    }

    [Fact]
    public void Manifest_is_written_with_folds()
    {
        Assert.Equal(Path.Combine(tree.Out, "iemocap.jsonl"), tree.Result.ManifestPath);
        var first = System.Text.Json.JsonDocument.Parse(File.ReadLines(tree.Result.ManifestPath!).First()).RootElement;
        Assert.Equal("iemocap-Ses01F_impro01_F000", first.GetProperty("key").GetString());
        Assert.Equal(1, first.GetProperty("fold").GetInt32());
        Assert.Equal("neu", first.GetProperty("emo").GetString());
        Assert.Equal("Ses01F", first.GetProperty("speaker").GetString());
        Assert.Equal(15, File.ReadLines(tree.Result.ManifestPath!).Count());
    }
}
