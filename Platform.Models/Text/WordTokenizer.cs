using System.Text.RegularExpressions;

namespace EmotionLab.Models.Text;

/// <summary>Lower-cased words (with inner apostrophes: don't, I'm), numbers and single punctuation marks.</summary>
public static partial class WordTokenizer
{
    [GeneratedRegex(@"\p{L}+(?:['’]\p{L}+)*|\d+(?:[.,]\d+)*|[^\s\p{L}\d]", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    public static IReadOnlyList<string> Tokenize(string text) =>
        Token().Matches(text).Select(m => m.Value.ToLowerInvariant().Replace('’', '\'')).ToArray();
}
