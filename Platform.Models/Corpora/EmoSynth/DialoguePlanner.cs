namespace EmotionLab.Models.Corpora.EmoSynth;

/// <summary>One utterance as planned: who says what, with which label, and whether text and prosody carry it.</summary>
public sealed record PlannedUtterance(
    string Split, int DialogueId, int UtteranceId, Character Speaker, string Emotion, string Sentiment,
    string Text, bool TextCarriesEmotion, EmotionalProsody Prosody, bool ProsodyCarriesEmotion);

/// <summary>
/// Writes the script of the corpus: dialogues in MELD's three splits (every 10th dialogue to
/// test, the one before it to dev), speakers, emotions by EmotionDynamics, wording and prosody
/// chosen independently. Everything comes from one seeded Random, so the same seed gives the
/// same script.
/// </summary>
public static class DialoguePlanner
{
    public static IReadOnlyList<PlannedUtterance> Plan(EmoSynthOptions options)
    {
        options.Validate();
        var random = new Random(options.Seed);
        var nextId = new Dictionary<string, int> { ["train"] = 0, ["dev"] = 0, ["test"] = 0 };
        var plan = new List<PlannedUtterance>();
        for (var d = 0; d < options.Dialogues; d++)
        {
            var split = (d % 10) switch { 9 => "test", 8 => "dev", _ => "train" };
            var dialogueId = nextId[split]++;
            var speakers = Cast.Characters.OrderBy(_ => random.Next()).Take(random.Next(2, 5)).ToArray();
            var turns = random.Next(options.MinTurns, options.MaxTurns + 1);
            var lastEmotion = new Dictionary<Character, string>();
            Character? previousSpeaker = null;
            string? previousEmotion = null;
            for (var u = 0; u < turns; u++)
            {
                // Mostly alternate between speakers; sometimes a speaker goes on.
                var speaker = previousSpeaker is not null && random.NextDouble() < 0.2
                    ? previousSpeaker
                    : speakers.Where(s => s != previousSpeaker).ElementAt(random.Next(speakers.Length - (previousSpeaker is null ? 0 : 1)));
                var emotion = EmotionDynamics.Next(random, lastEmotion.GetValueOrDefault(speaker), speaker == previousSpeaker ? null : previousEmotion, options);
                var textSignal = emotion != "neutral" && random.NextDouble() < options.TextSignalRate;
                var prosodySignal = emotion != "neutral" && random.NextDouble() < options.ProsodySignalRate;
                var phrases = textSignal ? Phrasebook.Emotional[emotion] : Phrasebook.Neutral;
                var text = phrases[random.Next(phrases.Length)];
                var sentiment = emotion switch
                {
                    "neutral" => "neutral",
                    "joy" => "positive",
                    "surprise" => random.NextDouble() < 0.6 ? "positive" : "negative",
                    _ => "negative",
                };
                plan.Add(new PlannedUtterance(split, dialogueId, u, speaker, emotion, sentiment, text, textSignal,
                    prosodySignal ? EmotionalProsody.For(emotion) : EmotionalProsody.Flat, prosodySignal));
                lastEmotion[speaker] = emotion;
                (previousSpeaker, previousEmotion) = (speaker, emotion);
            }
        }
        return plan;
    }
}
