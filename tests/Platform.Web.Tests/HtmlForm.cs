using System.Net;
using System.Text.RegularExpressions;

namespace EmotionLab.Web.Tests;

/// <summary>
/// Reads what a server-rendered page shows of its forms, the way a browser would submit them: the
/// inputs' values and each select's selected option, plus the problems shown next to fields
/// (elements with data-problem-for). Regexes suffice for the app's own, regular markup.
/// </summary>
public static partial class HtmlForm
{
    /// <summary>Name -> value of the form with this id (hidden fields included; unchecked checkboxes left out).</summary>
    public static Dictionary<string, string> Fields(string html, string formId)
    {
        var form = Regex.Match(html, $"<form[^>]*id=\"{formId}\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
        Assert.True(form.Success, $"no form #{formId} on the page");
        var fields = new Dictionary<string, string>();
        foreach (Match input in Input().Matches(form.Groups[1].Value))
        {
            var tag = input.Value;
            if (Attribute(tag, "name") is not { } name) continue;
            if (Attribute(tag, "type") is "checkbox" or "radio" && !Regex.IsMatch(tag, "\\schecked\\b")) continue;
            fields[name] = Attribute(tag, "value") ?? "";
        }
        foreach (Match select in Select().Matches(form.Groups[1].Value))
        {
            if (Attribute(select.Groups[1].Value, "name") is not { } name) continue;
            var options = Option().Matches(select.Groups[2].Value).Select(o => o.Value).ToList();
            var chosen = options.FirstOrDefault(o => Regex.IsMatch(o, "\\sselected\\b")) ?? options.FirstOrDefault(o => !Regex.IsMatch(o, "\\sdisabled\\b"));
            fields[name] = chosen is null ? "" : Attribute(chosen, "value") ?? "";
        }
        return fields;
    }

    /// <summary>The options of a select: value, and whether it is disabled.</summary>
    public static List<(string Value, bool Disabled)> Options(string html, string selectName)
    {
        var select = Regex.Match(html, $"<select([^>]*name=\"{Regex.Escape(selectName)}\"[^>]*)>(.*?)</select>", RegexOptions.Singleline);
        Assert.True(select.Success, $"no select {selectName}");
        return Option().Matches(select.Groups[2].Value).Select(o => (Attribute(o.Value, "value") ?? "", Regex.IsMatch(o.Value, "\\sdisabled\\b"))).ToList();
    }

    /// <summary>Field -> the problem messages shown for it.</summary>
    public static Dictionary<string, List<string>> Problems(string html) =>
        Problem().Matches(html).GroupBy(m => WebUtility.HtmlDecode(m.Groups[1].Value))
            .ToDictionary(g => g.Key, g => g.Select(m => WebUtility.HtmlDecode(m.Groups[2].Value).Trim()).ToList());

    public static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex Input();

    [GeneratedRegex("<select\\b([^>]*)>(.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex Select();

    [GeneratedRegex("<option\\b[^>]*>")]
    private static partial Regex Option();

    [GeneratedRegex("<div[^>]*data-problem-for=\"([^\"]*)\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex Problem();
}
