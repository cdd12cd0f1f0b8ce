namespace EmotionLab.Models.Corpora.EmoSynth;

/// <summary>What EmoSynth's speakers say: per-emotion phrasings, and neutral wording that carries no emotion.</summary>
public static class Phrasebook
{
    public static readonly string[] Neutral =
    [
        "I am going to the store later today.", "The meeting starts at ten in the morning.", "We should take the bus to the station.",
        "Did you read the message I sent you?", "The keys are on the kitchen table.", "I think the train leaves at six.",
        "Let me check the calendar for next week.", "We need to buy milk and some bread.", "She said the package arrived on Monday.",
        "Can you pass me that blue folder?", "The office is on the third floor.", "I will call you after lunch.",
        "They moved the couch into the other room.", "The report is due on Friday.", "Tell me when you are ready to leave.",
        "It is supposed to rain tomorrow afternoon.",
    ];

    public static readonly Dictionary<string, string[]> Emotional = new()
    {
        ["joy"] = ["This is the best day ever!", "I am so happy for you!", "That is wonderful news!", "I love it, thank you so much!",
                   "We did it, this is amazing!", "You made me so glad today!", "What a lovely surprise party!", "I could not be happier right now!"],
        ["surprise"] = ["Wait, what? Really?", "No way, you are kidding me!", "Oh my god, since when?", "I did not see that coming at all!",
                        "You are getting married? Seriously?", "Whoa, how did that happen?", "Are you serious right now?", "That is unbelievable!"],
        ["anger"] = ["I am so sick of this!", "How dare you do that to me!", "That is completely unacceptable!", "Stop lying to me right now!",
                     "You ruined everything, again!", "Get out of my apartment!", "I told you a hundred times!", "This makes me furious!"],
        ["sadness"] = ["I really miss her so much.", "Nothing ever goes right for me.", "I feel so alone these days.", "I am sorry, I just cannot do this anymore.",
                       "He never even said goodbye.", "Everything feels so empty now.", "I lost my job today.", "It is all my fault."],
        ["fear"] = ["I am scared, what was that noise?", "Please do not leave me here alone.", "What if something terrible happens?", "I am really afraid of the dark.",
                    "Someone is following us, I think.", "I cannot breathe, I am so nervous.", "What if they find out?", "Oh no, we are going to crash!"],
        ["disgust"] = ["Ew, that is absolutely gross.", "That smells disgusting.", "I cannot believe you would eat that.", "Ugh, that is so revolting.",
                       "That is the most repulsive thing I have seen.", "Yuck, get it away from me.", "How can you stand that filth?", "That is just nasty."],
    };
}
