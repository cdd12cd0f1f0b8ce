using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.JointVector;
using EmotionLab.Models.Features;
using EmotionLab.Models.Knowledge;
using EmotionLab.Models.Tests.Training;
using EmotionLab.Models.Text;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Tests.Families.JointVector;

[Collection(EmoSynthTrainingCollection.Name)]
public sealed class JointVectorDatasetTests(EmoSynthTrainingCorpus fixture)
{
    private FeatureCache Prosody() => FeatureCache.Open(fixture.Corpus, new ProsodyFrames(), Path.Combine(fixture.Root, "artifacts"));

    private JointVectorDataset Build(string task, string modalities, JointVectorConfig config, FeatureCache? prosody, IWordRelations? relations = null) =>
        JointVectorDataset.Build(fixture.Corpus, LabelSets.Meld7, task, modalities, config, fixture.Features, prosody, relations);

    [Fact]
    public void Epc_items_never_contain_the_targets_own_text_or_audio()
    {
        using var prosody = Prosody();
        var data = Build(ExperimentTasks.Epc, Modalities.TextAudio, new JointVectorConfig(), prosody);
        var examples = new EpcExampleBuilder(LabelSets.Meld7, EpcTargetMode.EveryNext, 3).Build(fixture.Corpus.Dialogues);
        Assert.Equal(examples.Count, Enum.GetValues<DataSplit>().Sum(data.Count) + data.Skipped.Count);

        foreach (var split in Enum.GetValues<DataSplit>())
        {
            Assert.Equal(data.Items(split).Select(i => i.Key), data.Keys(split));
            foreach (var item in data.Items(split))
            {
                var target = fixture.Corpus[item.Key];
                var dialogue = fixture.Corpus.Dialogues.Single(d => d.Key == target.Dialogue);
                var position = dialogue.Utterances.ToList().IndexOf(target);
                // The history is the (at most) 3 turns right before the target, the heard turn the last of them.
                Assert.Equal(dialogue.Utterances.Skip(Math.Max(0, position - 3)).Take(Math.Min(3, position)).Select(u => u.Key), item.TurnKeys);
                Assert.DoesNotContain(item.Key, item.TurnKeys);
                Assert.NotEqual(item.Key, item.AudioKey);
                Assert.Equal(item.TurnKeys[^1], item.AudioKey);
                Assert.Equal(LabelSets.Meld7.IndexOf(target), item.Label);
                // The words are exactly the history's turns (the target's words are not appended).
                Assert.Equal(item.TurnKeys.SelectMany(k => WordTokenizer.Tokenize(fixture.Corpus[k].Text).Prepend("speaker")).Count(), item.Words.Count);
            }
        }
    }

    [Fact]
    public void Erc_items_are_the_utterance_with_its_context_speaker_tokens_a_focus_turn_and_kwrt_scores()
    {
        using var prosody = Prosody();
        var config = new JointVectorConfig { ContextWindow = 4 };
        var data = Build(ExperimentTasks.Erc, Modalities.TextAudio, config, prosody);
        Assert.Equal(fixture.Corpus.Utterances.Count(u => u.Split == "test"), data.Count(DataSplit.Test) + data.Skipped.Count(s => fixture.Corpus[s.Key].Split == "test"));
        Assert.False(data.RelationsUsed);
        foreach (var item in data.Items(DataSplit.Validation))
        {
            var utterance = fixture.Corpus[item.Key];
            Assert.Equal(item.Key, item.TurnKeys[^1]);
            Assert.Equal(item.Key, item.AudioKey);
            Assert.InRange(item.TurnKeys.Count, 1, 4);
            Assert.Equal(item.TurnKeys.Count, item.Words.Count(w => w.StartsWith("[SPK")));
            Assert.StartsWith("[SPK", item.Words[0]);
            // The focus is the utterance's own speaker token and words, at the end.
            var own = WordTokenizer.Tokenize(utterance.Text).Count + 1;
            Assert.Equal(Enumerable.Repeat(false, item.Words.Count - own).Concat(Enumerable.Repeat(true, own)), item.Focus);
            Assert.Equal(item.Words.Select(data.Vocabulary!.Id), item.Tokens);
            Assert.NotNull(item.KwrtScores);
            Assert.Equal(new KwrtTagger(null, 50).Tag(item.Words).Scores, item.KwrtScores);
        }
        // The vocabulary comes from the train split only, with the speaker tokens.
        var trainWords = fixture.Corpus.Utterances.Where(u => u.Split == "train").SelectMany(u => WordTokenizer.Tokenize(u.Text)).ToHashSet();
        Assert.All(data.Vocabulary!.Tokens.Skip(2 + SpeakerTokens.Max), w => Assert.Contains(w, trainWords));
        Assert.Contains(SpeakerTokens.Token(0), data.Vocabulary.Tokens);
        // A long conversation keeps its newest tokens.
        var cut = Build(ExperimentTasks.Erc, Modalities.Text, config with { Text = config.Text with { MaxLength = 6 } }, null);
        Assert.All(cut.Items(DataSplit.Train), i => Assert.True(i.Words.Count <= 6 && i.Focus[^1]));
        Assert.Null(Build(ExperimentTasks.Erc, Modalities.Text, config with { UseKwrt = false }, null).Items(DataSplit.Train)[0].KwrtScores);
    }

    [Fact]
    public void A_batch_holds_only_what_the_modalities_read_and_every_tensor_belongs_to_the_callers_scope()
    {
        using var prosody = Prosody();
        var data = Build(ExperimentTasks.Erc, Modalities.TextAudio, new JointVectorConfig(), prosody);
        using var outer = torch.NewDisposeScope();
        var before = outer.Count;
        JointVectorBatch batch;
        Tensor targets;
        using (var inner = torch.NewDisposeScope())
        {
            using var indexes = torch.tensor(new long[] { 0, 5, 9 }).DetachFromDisposeScope();
            (batch, targets) = data.Batch(DataSplit.Train, indexes);
            var items = new[] { 0, 5, 9 }.Select(i => data.Items(DataSplit.Train)[i]).ToArray();
            Assert.Equal(items.Select(i => (long)i.Label), targets.data<long>());
            Assert.Equal([3L, items.Max(i => i.Tokens.Length)], batch.Tokens!.shape);
            Assert.Equal(batch.Tokens.shape, batch.KwrtScores!.shape);
            var frames = items.Max(i => Math.Min(fixture.Features.Get(i.AudioKey!).Frames, 512));
            Assert.Equal([3L, frames, 80], batch.Frames!.shape);
            Assert.Equal([3L, (frames + 3) / 4, 4], batch.Prosody!.shape);
            Assert.Equal([3L, EmotionLab.Models.Audio.MelPatches.TimeBlocks(frames) * 5, 256], batch.Patches!.shape);
            // The standardised log-mel of the train split is about zero-mean.
            Assert.InRange(batch.Frames.masked_fill(batch.FramePadding!.unsqueeze(2), 0).sum().item() / (batch.FramePadding.logical_not().sum().item() * 80), -1, 1);
        }
        Assert.All(new[] { batch.Tokens!, batch.Focus!, batch.KwrtScores!, batch.Frames!, batch.FramePadding!, batch.Prosody!, batch.Patches!, batch.PatchPadding!, targets },
            t => Assert.True(t.IsDisposed));
        Assert.Equal(before, outer.Count);

        // Audio only, without PE and TMF: no text, no prosody, no patches.
        var audio = Build(ExperimentTasks.Erc, Modalities.Audio, new JointVectorConfig { UseProsodyEnhancement = false, UseTmf = false }, null);
        var (audioBatch, _) = audio.Batch(DataSplit.Test, torch.arange(2));
        Assert.Null(audioBatch.Tokens);
        Assert.Null(audioBatch.Prosody);
        Assert.Null(audioBatch.Patches);
        Assert.NotNull(audioBatch.Frames);
        Assert.Null(audio.Vocabulary);
    }

    private sealed class OneRelation : IWordRelations
    {
        public IReadOnlyList<WordRelation> Of(string word, int max) => word == "happy" ? [new("IsA", "glad")] : [];
    }

    [Fact]
    public void The_trainer_runs_without_conceptnet_on_recurrence_only_and_says_so_in_the_run_log()
    {
        var spec = JointVectorGridTemplates.BaseSpec("emosynth", ExperimentTasks.Epc) with
        {
            LabelSet = "meld4", Seed = 2, Epochs = 1, LearningRate = 1e-3,
            JointVector = new JointVectorConfig { Blocks = 1, HiddenSize = 32, Heads = 2, ExtractorLayers = 1, Text = new EncoderSlotConfig { Size = 32, MaxLength = 48 }, Audio = new EncoderSlotConfig { Size = 32, MaxLength = 256 } },
        };
        var family = FamilyCatalog.Find(FamilyCatalog.JointVector)!;
        Assert.True(family.Available);
        var log = new StringWriter();
        var context = new FamilyRunContext(spec, fixture.Corpus, Path.Combine(fixture.Root, "artifacts"), fixture.NewRunFolder("jv-trainer"), new RecordingSink(), new TrainerOptions(), log);
        var outcome = family.Trainer!.Train(context);
        Assert.Equal(1, outcome.EpochsCompleted);
        Assert.NotNull(outcome.TestAtBestEpoch);
        Assert.Contains("KWRT tags word recurrence only", log.ToString());
        Assert.Contains("JF blocks with joint vectors", log.ToString());

        // With word relations through the trainer's seam, no fallback is logged.
        var withRelations = new StringWriter();
        new JointVectorTrainer(_ => new OneRelation()).Train(context with { RunFolder = fixture.NewRunFolder("jv-trainer-relations"), Log = withRelations });
        Assert.DoesNotContain("recurrence only", withRelations.ToString());
    }
}
