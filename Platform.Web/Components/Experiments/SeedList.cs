using System.Globalization;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Web.Components.Experiments;

/// <summary>The form's seeds: "1, 2, 3" (commas or spaces), one run each.</summary>
public static class SeedList
{
    public const string Field = "seeds";

    /// <summary>The seeds in the order given; each problem is added under the "seeds" field.</summary>
    public static IReadOnlyList<int> Parse(string text, List<SpecProblem> problems)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split([',', ' ', ';', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
                problems.Add(new(Field, $"'{part}' is not a whole number; give seeds such as 1, 2, 3"));
            else if (seeds.Contains(seed))
                problems.Add(new(Field, $"seed {seed} is given twice; each seed is one run"));
            else seeds.Add(seed);
        }
        if (seeds.Count == 0 && problems.All(p => p.Field != Field)) problems.Add(new(Field, "give at least one seed, such as 1 or 1, 2, 3"));
        return seeds;
    }

    public static string Format(IEnumerable<int> seeds) => string.Join(", ", seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)));
}
