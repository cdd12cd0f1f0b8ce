using System.Text.Json;
using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>The MELD importer on a tree with every CORPORA.md quirk: parsed values, warnings, extraction, manifest, counts.</summary>
public sealed class MeldImporterTests(MeldTreeFixture tree) : IClassFixture<MeldTreeFixture>
{
    [Fact]
    public void Import_succeeds_with_every_row_as_an_utterance_in_split_dialogue_and_utterance_id_order()
    {
        Assert.True(tree.Result.Succeeded, tree.Result.Report.ToString());
        Assert.Empty(tree.Result.Report.Errors);
        Assert.Equal(
            [
                "meld-train-dia0_utt0", "meld-train-dia0_utt1", "meld-train-dia0_utt3",
                "meld-train-dia1_utt0", "meld-train-dia1_utt1", "meld-train-dia2_utt0", "meld-train-dia2_utt1",
                "meld-dev-dia0_utt0", "meld-dev-dia0_utt1", "meld-dev-dia0_utt2",
                "meld-test-dia0_utt0", "meld-test-dia0_utt1",
            ],
            tree.Corpus.Utterances.Select(u => u.Key));
        Assert.Equal(["train", "dev", "test"], tree.Corpus.Splits);
        Assert.Equal(["meld-train-dia0", "meld-train-dia1", "meld-train-dia2", "meld-dev-dia0", "meld-test-dia0"], tree.Corpus.Dialogues.Select(d => d.Key));
    }

    [Fact]
    public void Utterance_ids_keep_their_gaps_and_sr_no_repeats_are_not_keys()
    {
        var dialogue = tree.Corpus.Dialogues[0];
        Assert.Equal([0, 1, 3], dialogue.Utterances.Select(u => u.Index));
        Assert.Equal(["Chandler", "The Interviewer", "Joey"], dialogue.Utterances.Select(u => u.Speaker));
    }

    [Fact]
    public void Text_keeps_quoted_commas_and_quotes_and_maps_cp1252_leftovers()
    {
        Assert.Equal("Oh, my God, he\u2019s lost it. Just \u201Clost\u201D it.", tree.Corpus["meld-train-dia0_utt0"].Text);
        Assert.Equal("He said \"no\", twice.", tree.Corpus["meld-train-dia0_utt1"].Text);
    }

    [Fact]
    public void Times_with_one_and_two_digit_hours_parse_to_milliseconds()
    {
        var u = tree.Corpus["meld-train-dia0_utt0"];
        Assert.Equal(new TimeSpan(0, 0, 16, 3, 963), u.Start);
        Assert.Equal(new TimeSpan(0, 0, 16, 7, 41), u.End);
        Assert.Equal(new TimeSpan(0, 0, 16, 7, 100), tree.Corpus["meld-train-dia0_utt1"].Start);
        Assert.Equal(new TimeSpan(0, 1, 2, 3, 4), tree.Corpus["meld-train-dia1_utt0"].Start);
    }

    [Fact]
    public void Labels_and_sentiments_stay_raw()
    {
        var u = tree.Corpus["meld-train-dia0_utt0"];
        Assert.Equal("surprise", u.RawLabel);
        Assert.Equal("negative", u.RawSentiment);
        Assert.Null(u.Fold);
        Assert.Equal("meld-train-dia0", u.Dialogue);
    }

    [Fact]
    public void Bad_media_are_warnings_that_mark_only_their_utterance_unusable()
    {
        var w = tree.Result.Report.Warnings;
        Assert.Equal(
            [
                ("dev_sent_emo.csv", (int?)3, "missing media dev_splits_complete/dia0_utt1.mp4"),
                ("dev_splits_complete/dia0_utt2.mp4", null, "undecodable media"),
                ("output_repeated_splits_test/dia5_utt0.mp4", null, "media without a CSV row (test dialogue 5 utterance 0)"),
                ("test_sent_emo.csv", 3, "StartTime equals EndTime (00:05:00,500): the clip is mis-cut"),
                ("train/train_splits/dia1_utt0.mp4", null, "clip lasts 1 s, over the 0.8 s limit (mis-cut)"),
                ("train/train_splits/dia1_utt1.mp4", null, "undecodable media"),
            ],
            w.Select(p => (p.File, p.Line, p.Message.StartsWith("undecodable media: ") ? "undecodable media" : p.Message)));
        Assert.All(w, p => Assert.False(string.IsNullOrWhiteSpace(p.Remedy)));

        var unusable = tree.Corpus.Utterances.Where(u => !u.AudioOk).ToDictionary(u => u.Key, u => u.AudioProblem);
        Assert.Equal(new Dictionary<string, string?>
        {
            ["meld-train-dia1_utt0"] = "clip over 0.8 s",
            ["meld-train-dia1_utt1"] = "undecodable media",
            ["meld-dev-dia0_utt1"] = "missing media",
            ["meld-dev-dia0_utt2"] = "undecodable media",
            ["meld-test-dia0_utt1"] = "StartTime equals EndTime",
        }, unusable);
        Assert.All(tree.Corpus.Utterances.Where(u => !u.AudioOk), u => Assert.False(u.AudioPath is not null && File.Exists(u.AudioPath)));
    }

    [Fact]
    public void The_default_clip_limit_is_30_seconds() => Assert.Equal(30, new MeldImporter().MaxClipSeconds);

    [Fact]
    public void Usable_clips_become_16_khz_mono_pcm16_wavs_in_the_artifact_folder()
    {
        foreach (var u in tree.Corpus.Utterances.Where(u => u.AudioOk))
        {
            var split = u.Key.Split('-')[1];
            Assert.Equal(Path.Combine(tree.Out, "wav", split, u.Key.Split('-')[2] + ".wav"), u.AudioPath);
            var info = WavInfo.TryRead(u.AudioPath!, out var problem);
            Assert.True(info is not null, problem);
            Assert.Equal((16000, 1, 16), (info.SampleRate, info.Channels, info.BitsPerSample));
            Assert.InRange(info.Duration, 0.45, 0.55);
            Assert.Equal(16000, u.SampleRate);
            Assert.Equal(info.Duration, u.Duration);
        }
        Assert.Equal(7, tree.Corpus.Utterances.Count(u => u.AudioOk));
    }

    [Fact]
    public void Five_one_keeps_the_front_centre_channel_and_stereo_the_left()
    {
        // Only FC (resp. only left) carries the tone in the source: the wav is loud exactly when that channel was kept.
        Assert.InRange(WavInfo.Pcm16Rms(tree.Corpus["meld-train-dia0_utt0"].AudioPath!), 0.03, 1);
        Assert.InRange(WavInfo.Pcm16Rms(tree.Corpus["meld-train-dia2_utt0"].AudioPath!), 0, 0.001);
        Assert.InRange(WavInfo.Pcm16Rms(tree.Corpus["meld-train-dia0_utt1"].AudioPath!), 0.03, 1);
        Assert.InRange(WavInfo.Pcm16Rms(tree.Corpus["meld-train-dia2_utt1"].AudioPath!), 0, 0.001);
        Assert.InRange(WavInfo.Pcm16Rms(tree.Corpus["meld-train-dia0_utt3"].AudioPath!), 0.03, 1);
    }

    [Fact]
    public void Test_clips_with_the_final_videos_test_prefix_are_found()
    {
        var u = tree.Corpus["meld-test-dia0_utt0"];
        Assert.True(u.AudioOk, u.AudioProblem);
        Assert.Equal(Path.Combine(tree.Out, "wav", "test", "dia0_utt0.wav"), u.AudioPath);
        Assert.InRange(WavInfo.Pcm16Rms(u.AudioPath!), 0.03, 1);
    }

    [Fact]
    public void Extraction_is_skipped_when_the_wav_is_newer_and_redone_when_it_is_older()
    {
        Assert.Equal(7, tree.WavTimesAfterFirstImport.Count);
        Assert.Equal(tree.WavTimesAfterFirstImport, tree.WavTimesAfterReimport);
        Assert.Equal(tree.Corpus.Utterances, tree.Reimport.Corpus!.Utterances);
        Assert.True(tree.StaleWavTimeAfter > tree.StaleWavTimeBefore, "a wav older than its clip is extracted again");
    }

    [Fact]
    public void Manifest_has_one_json_line_per_utterance_in_corpus_order()
    {
        Assert.Equal(Path.Combine(tree.Out, "meld.jsonl"), tree.Result.ManifestPath);
        var lines = File.ReadAllLines(tree.Result.ManifestPath!);
        Assert.Equal(tree.Corpus.Utterances.Select(u => u.Key), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("key").GetString()));
        Assert.False(File.Exists(tree.Result.ManifestPath + ".tmp"));

        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(tree.Corpus.Utterances[0].AudioPath, first.GetProperty("wav").GetString());
        Assert.Equal("surprise", first.GetProperty("emo").GetString());
        Assert.Equal("train", first.GetProperty("split").GetString());
        Assert.Equal("meld-train-dia0", first.GetProperty("dialogue").GetString());
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        Assert.Equal("Chandler", first.GetProperty("speaker").GetString());
        Assert.Equal("Oh, my God, he\u2019s lost it. Just \u201Clost\u201D it.", first.GetProperty("text").GetString());
        Assert.Equal(16000, first.GetProperty("sample_rate").GetInt32());
        Assert.True(first.GetProperty("audio_ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("reason").ValueKind);
        Assert.InRange(first.GetProperty("length").GetDouble(), 0.45, 0.55);

        var missing = JsonDocument.Parse(lines[8]).RootElement;
        Assert.Equal("meld-dev-dia0_utt1", missing.GetProperty("key").GetString());
        Assert.False(missing.GetProperty("audio_ok").GetBoolean());
        Assert.Equal("missing media", missing.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("wav").ValueKind);
    }

    [Fact]
    public void Label_sets_count_per_split()
    {
        var meld7 = LabelSets.Meld7.CountsPerSplit(tree.Corpus.Utterances);
        Assert.Equal(["train", "dev", "test"], meld7.Groups);
        Assert.All(LabelSets.Meld7.Labels, l => Assert.Equal(1, meld7["train", l]));
        Assert.Equal((1, 1, 1, 0), (meld7["dev", "neutral"], meld7["dev", "surprise"], meld7["dev", "joy"], meld7["dev", "anger"]));
        Assert.Equal((1, 1, 2), (meld7["test", "sadness"], meld7["test", "neutral"], meld7.Total("test")));

        var meld4 = LabelSets.Meld4.CountsPerSplit(tree.Corpus.Utterances);
        Assert.Equal([1, 1, 1, 1], LabelSets.Meld4.Labels.Select(l => meld4["train", l]));
        Assert.Equal((4, 2, 2), (meld4.Total("train"), meld4.Total("dev"), meld4.Total("test")));

        var sentiment = LabelSets.MeldSentiment3.CountsPerSplit(tree.Corpus.Utterances);
        Assert.Equal([1, 1, 5], LabelSets.MeldSentiment3.Labels.Select(l => sentiment["train", l]));
        Assert.Equal([2, 1, 0], LabelSets.MeldSentiment3.Labels.Select(l => sentiment["dev", l]));
    }
}
