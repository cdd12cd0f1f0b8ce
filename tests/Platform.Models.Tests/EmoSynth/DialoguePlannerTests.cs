using EmotionLab.Models.Corpora.EmoSynth;

namespace EmotionLab.Models.Tests.EmoSynth;

public sealed class DialoguePlannerTests
{
    private static readonly IReadOnlyList<PlannedUtterance> Large = DialoguePlanner.Plan(new EmoSynthOptions(3000, Seed: 5));

    [Fact]
    public void Same_seed_same_script_and_another_seed_another()
    {
        var a = DialoguePlanner.Plan(new EmoSynthOptions(20, Seed: 1));
        Assert.Equal(a, DialoguePlanner.Plan(new EmoSynthOptions(20, Seed: 1)));
        Assert.NotEqual(a.Select(u => u.Text), DialoguePlanner.Plan(new EmoSynthOptions(20, Seed: 2)).Select(u => u.Text));
    }

    [Fact]
    public void Labels_are_imbalanced_like_meld_with_neutral_most_frequent()
    {
        var counts = Large.GroupBy(u => u.Emotion).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(7, counts.Count);
        Assert.Equal("neutral", counts.MaxBy(kv => kv.Value).Key);
        Assert.True(counts["neutral"] > 3 * counts["fear"] && counts["neutral"] > 3 * counts["disgust"]);
        var splits = Large.GroupBy(u => u.Split).ToDictionary(g => g.Key, g => g.Select(u => u.DialogueId).Distinct().Count());
        Assert.Equal((2400, 300, 300), (splits["train"], splits["dev"], splits["test"]));
    }

    [Fact]
    public void Each_modality_carries_the_emotion_only_part_of_the_time_and_independently()
    {
        var emotional = Large.Where(u => u.Emotion != "neutral").ToList();
        var text = emotional.Average(u => u.TextCarriesEmotion ? 1.0 : 0.0);
        var prosody = emotional.Average(u => u.ProsodyCarriesEmotion ? 1.0 : 0.0);
        var both = emotional.Average(u => u.TextCarriesEmotion && u.ProsodyCarriesEmotion ? 1.0 : 0.0);
        Assert.InRange(text, 0.57, 0.63);
        Assert.InRange(prosody, 0.57, 0.63);
        Assert.InRange(both, text * prosody - 0.03, text * prosody + 0.03);
        // Emotional wording without emotional prosody and the reverse both occur.
        Assert.Contains(emotional, u => u.TextCarriesEmotion && u.Prosody == EmotionalProsody.Flat);
        Assert.Contains(emotional, u => !u.TextCarriesEmotion && u.Prosody != EmotionalProsody.Flat);
        Assert.All(Large.Where(u => u.Emotion == "neutral"), u => Assert.Equal(EmotionalProsody.Flat, u.Prosody));
    }

    [Fact]
    public void Emotions_persist_and_react_across_turns_so_context_carries_signal()
    {
        int sameAsOwnPrevious = 0, withOwnPrevious = 0;
        foreach (var dialogue in Large.GroupBy(u => (u.Split, u.DialogueId)))
        {
            var last = new Dictionary<string, string>();
            foreach (var u in dialogue)
            {
                if (last.TryGetValue(u.Speaker.Name, out var previous))
                {
                    withOwnPrevious++;
                    if (previous == u.Emotion) sameAsOwnPrevious++;
                }
                last[u.Speaker.Name] = u.Emotion;
            }
        }
        // Without dynamics two draws from the base rates agree about 28% of the time.
        var chance = EmotionDynamics.BaseRates.Sum(r => r.rate * r.rate);
        Assert.True((double)sameAsOwnPrevious / withOwnPrevious > chance + 0.2, $"persistence {(double)sameAsOwnPrevious / withOwnPrevious:P0} vs chance {chance:P0}");
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_reason()
    {
        Assert.Contains("at least one dialogue", Assert.Throws<ArgumentException>(() => DialoguePlanner.Plan(new EmoSynthOptions(0, 1))).Message);
        Assert.Contains("Persistence + Reaction", Assert.Throws<ArgumentException>(() => DialoguePlanner.Plan(new EmoSynthOptions(1, 1) { Persistence = 0.8, Reaction = 0.5 })).Message);
    }
}
