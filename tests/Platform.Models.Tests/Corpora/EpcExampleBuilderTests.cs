using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>
/// EPC examples on the IEMOCAP tree. Ses01M_script01_1 in time order: F000 sad, F001 neu, M000 hap,
/// M001 ang, F002 sad (speakers F F M M F).
/// </summary>
public sealed class EpcExampleBuilderTests(IemocapTreeFixture tree) : IClassFixture<IemocapTreeFixture>
{
    private Dialogue Script => tree.Dialogue("Ses01M_script01_1");

    private static string Turn(Utterance u) => u.Key[^4..];

    private static string[] Describe(EpcExampleSet set) =>
        set.Examples.Select(e => $"{Turn(e.Target)}:{e.Label}<-{string.Join(",", e.Context.Select(Turn))}").ToArray();

    [Fact]
    public void Every_next_utterance_is_a_target_with_the_turns_before_it()
    {
        var set = new EpcExampleBuilder(LabelSets.Iemocap4, EpcTargetMode.EveryNext).Build([Script]);
        Assert.Equal(["F001:neu<-F000", "M000:hap<-F000,F001", "M001:ang<-F000,F001,M000", "F002:sad<-F000,F001,M000,M001"], Describe(set));
        Assert.Equal([0, 1, 2, 3], set.Examples.Select(e => e.LabelIndex));
    }

    [Fact]
    public void A_window_keeps_only_the_last_w_turns()
    {
        var set = new EpcExampleBuilder(LabelSets.Iemocap4, EpcTargetMode.EveryNext, window: 2).Build([Script]);
        Assert.Equal(["F001:neu<-F000", "M000:hap<-F000,F001", "M001:ang<-F001,M000", "F002:sad<-M000,M001"], Describe(set));
    }

    [Fact]
    public void Only_the_first_utterance_after_a_speaker_change_is_a_target()
    {
        var set = new EpcExampleBuilder(LabelSets.Iemocap4, EpcTargetMode.FirstAfterSpeakerChange, window: null, giveNextSpeaker: true).Build([Script]);
        Assert.Equal(["M000:hap<-F000,F001", "F002:sad<-F000,F001,M000,M001"], Describe(set));
        Assert.Equal(["Ses01M", "Ses01F"], set.Examples.Select(e => e.NextSpeaker));
    }

    [Fact]
    public void Same_speaker_k_turns_ahead_sees_nothing_after_the_anchor()
    {
        var one = new EpcExampleBuilder(LabelSets.Iemocap4, EpcTargetMode.SameSpeakerAhead, turnsAhead: 1).Build([Script]);
        Assert.Equal(["F001:neu<-F000", "F002:sad<-F000,F001", "M001:ang<-F000,F001,M000"], Describe(one));
        Assert.All(one.Examples, e => Assert.Null(e.NextSpeaker));

        var two = new EpcExampleBuilder(LabelSets.Iemocap4, EpcTargetMode.SameSpeakerAhead, turnsAhead: 2).Build([Script]);
        Assert.Equal(["F002:sad<-F000"], Describe(two));
    }

    [Fact]
    public void Targets_outside_the_label_set_are_dropped_but_stay_usable_as_context()
    {
        var set = new EpcExampleBuilder(LabelSets.Iemocap4, EpcTargetMode.EveryNext).Build([tree.Dialogue("Ses01F_impro01")]);
        // M001 (fru) and F002 (xxx) are not targets of the 4-class set; with 6 classes fru is, and xxx sits in no set.
        Assert.Equal(["M000:hap<-F000", "F001:ang<-F000,M000"], Describe(set));
        var six = new EpcExampleBuilder(LabelSets.Iemocap6, EpcTargetMode.EveryNext).Build([tree.Dialogue("Ses01F_impro01")]);
        Assert.Equal(["M000:exc<-F000", "F001:ang<-F000,M000", "M001:fru<-F000,M000,F001"], Describe(six));
    }

    [Fact]
    public void Example_counts_and_the_majority_baseline_come_from_the_training_split()
    {
        var set = new EpcExampleBuilder(LabelSets.Iemocap4, EpcTargetMode.EveryNext).Build(tree.Corpus.Dialogues);
        Assert.Equal(8, set.Count);
        Assert.Equal(new Dictionary<string, int> { ["train"] = 7, ["test"] = 1 }, set.CountPerSplit());
        // Training targets: hap 2, ang 2, sad 2, neu 1; the tie goes to the earliest label of the set.
        Assert.Equal("hap", set.MajorityLabel);
        Assert.Equal(2.0 / 7, set.MajorityAccuracy("train"), 12);
        Assert.Equal(0, set.MajorityAccuracy("test"));
        Assert.Equal(0.25, set.MajorityUar("train"));
        Assert.Equal(0, set.MajorityUar("test"));
    }

    [Fact]
    public void The_target_turn_never_appears_in_its_own_context()
    {
        foreach (var mode in Enum.GetValues<EpcTargetMode>())
            foreach (var window in new int?[] { null, 1, 6 })
                foreach (var k in new[] { 1, 2 })
                {
                    var set = new EpcExampleBuilder(LabelSets.Iemocap6, mode, window, k).Build(tree.Corpus.Dialogues);
                    Assert.NotEmpty(set.Examples);
                    foreach (var e in set.Examples)
                    {
                        var turns = tree.Corpus.Dialogues.Single(d => d.Key == e.Target.Dialogue).Utterances.ToList();
                        var target = turns.IndexOf(e.Target);
                        Assert.NotEmpty(e.Context);
                        Assert.True(window is null || e.Context.Count <= window);
                        Assert.All(e.Context, c =>
                        {
                            Assert.NotEqual(e.Target.Key, c.Key);
                            Assert.True(turns.IndexOf(c) < target, $"{c.Key} is not before {e.Target.Key}");
                            Assert.True(c.AudioPath is null || c.AudioPath != e.Target.AudioPath);
                        });
                    }
                }
    }

    [Fact]
    public void Previous_k_utterances_and_speaker_indices_follow_the_dialogue()
    {
        var context = ConversationContext.ForDialogue(Script, 2);
        Assert.Equal([[], ["F000"], ["F000", "F001"], ["F001", "M000"], ["M000", "M001"]], context.Select(c => c.Previous.Select(Turn).ToArray()));
        Assert.Equal([0, 0, 1, 1, 0], ConversationContext.SpeakerIndices(Script));
        Assert.Equal([0, 1, 0], ConversationContext.SpeakerIndices(tree.Dialogue("Ses05M_impro03")));
    }
}
