namespace EmotionLab.Models.Text;

/// <summary>
/// English closed-class words (determiners, pronouns, prepositions, conjunctions, auxiliaries,
/// particles). Everything alphabetic outside this list is a content word: KWRT attaches word
/// recurrence and knowledge relations to content words only.
/// </summary>
public static class FunctionWords
{
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "this", "that", "these", "those", "some", "any", "each", "every", "no", "either", "neither", "all", "both", "such",
        "i", "me", "my", "mine", "myself", "you", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
        "it", "its", "itself", "we", "us", "our", "ours", "ourselves", "they", "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "whose",
        "i'm", "you're", "he's", "she's", "it's", "we're", "they're", "i've", "you've", "we've", "they've", "i'll", "you'll", "he'll", "she'll", "we'll", "they'll",
        "i'd", "you'd", "he'd", "she'd", "we'd", "they'd", "that's", "there's", "what's", "let's",
        "in", "on", "at", "by", "for", "with", "about", "against", "between", "into", "through", "during", "before", "after", "above", "below", "to", "from",
        "up", "down", "out", "off", "over", "under", "of", "as", "until", "while", "since", "than", "like", "near", "around", "without", "within",
        "and", "but", "or", "nor", "so", "yet", "if", "because", "although", "though", "unless", "whether", "when", "where", "why", "how",
        "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing",
        "will", "would", "shall", "should", "can", "could", "may", "might", "must", "ought",
        "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "haven't", "hasn't", "hadn't", "won't", "wouldn't", "can't", "couldn't", "shouldn't",
        "not", "just", "very", "too", "also", "only", "then", "there", "here", "now", "again", "once", "more", "most", "other", "own", "same",
        "oh", "uh", "um", "yeah", "okay", "ok", "well",
    };

    public static bool IsFunctionWord(string token) => Words.Contains(token);

    public static bool IsContentWord(string token) => token.Length > 0 && token.All(c => char.IsLetter(c) || c == '\'') && !Words.Contains(token);
}
