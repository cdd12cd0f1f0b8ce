using System.Net;
using System.Text.RegularExpressions;
using EmotionLab.Worker.Corpora;
using EmotionLab.Worker.Tests;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The Corpora page over HTTP, as a browser posts it: the import form with its antiforgery token,
/// the redirect to the import's panel, the panel's partial polled until the import ends.
/// Corpus names are unique per test: the seeded lab's corpora and runs stay as they are.
/// </summary>
[Collection(nameof(WebAppFixture))]
public sealed partial class CorporaPageTests(WebAppFixture app, SmallEmoSynth emosynth) : IClassFixture<SmallEmoSynth>
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<tr data-split=\"(\\w+)\" data-utterances=\"(\\d+)\" data-dialogues=\"(\\d+)\"")]
    private static partial Regex SplitRow();

    /// <summary>The words of an HTML fragment, tags dropped and white space collapsed.</summary>
    private static string Text(string html) => Regex.Replace(Regex.Replace(html, "<[^>]+>", ""), "\\s+", " ");

    /// <summary>A client of its own: it keeps the antiforgery cookie and shows redirects instead of following them.</summary>
    private HttpClient NewBrowserlikeClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

    private static async Task<HttpResponseMessage> PostImportFormAsync(HttpClient client, string name, string format, string path)
    {
        var page = await client.GetStringAsync("/corpora");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        Assert.NotEmpty(token);
        return await client.PostAsync("/corpora", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "corpus-import",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["CorpusName"] = name,
            ["CorpusFormat"] = format,
            ["SourcePath"] = path,
        }));
    }

    /// <summary>Follows the form's redirect and polls the import's partial until it has finished; returns the finished panel.</summary>
    private static async Task<string> WaitForImportAsync(HttpClient client, HttpResponseMessage posted)
    {
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var location = posted.Headers.Location!.ToString();
        var id = int.Parse(Regex.Match(location, "/corpora\\?import=(\\d+)$").Groups[1].Value);

        var page = await client.GetStringAsync(location);
        Assert.Contains($"data-import-id=\"{id}\"", page);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var panel = await client.GetStringAsync($"/corpora/imports/{id}");
            Assert.StartsWith("<section id=\"corpus-import\"", panel.TrimStart());
            if (!panel.Contains("data-outcome=\"Running\"")) return WebUtility.HtmlDecode(panel);
            Assert.Contains($"hx-get=\"/corpora/imports/{id}\"", panel);
            Assert.True(DateTime.UtcNow < deadline, "the import did not finish within 3 minutes");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task Importing_from_the_form_runs_in_the_background_and_shows_the_stored_counts_per_split()
    {
        using var client = NewBrowserlikeClient();
        var name = "emosynth-web-" + Guid.NewGuid().ToString("N")[..8];
        var folder = emosynth.Copy("web-" + name);
        var expected = CorpusFormats.Import("emosynth", folder, Path.Combine(emosynth.Root, "expected-" + name)).Corpus!;

        var panel = await WaitForImportAsync(client, await PostImportFormAsync(client, name, "emosynth", folder));

        Assert.Contains("data-outcome=\"Succeeded\"", panel);
        Assert.DoesNotContain("hx-trigger", panel);
        await using var db = app.Postgres.NewContext();
        var corpus = await db.Corpora.SingleAsync(c => c.Name == name);
        Assert.Contains($"Stored as corpus #{corpus.Id} {name}: {expected.Utterances.Count} utterances in {expected.Dialogues.Count} dialogues", Text(panel));
        var splits = SplitRow().Matches(panel).Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value))).ToArray();
        Assert.Equal(expected.Splits.Select(s => (s, expected.Utterances.Count(u => u.Split == s), expected.Dialogues.Count(d => d.Split == s))), splits);
        Assert.Contains("data-label-set=\"meld7\"", panel);
        Assert.Contains("data-label-set=\"meld4\"", panel);
        // The corpus was imported into the app's artifact root, where the trainer looks for it.
        Assert.True(File.Exists(Path.Combine(app.ArtifactRoot, "corpora", name, "emosynth.jsonl")));

        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/corpora"));
        Assert.Contains($"<tr data-corpus-name=\"{name}\" data-corpus-id=\"{corpus.Id}\" data-utterances=\"{expected.Utterances.Count}\" data-dialogues=\"{expected.Dialogues.Count}\"", page);
        Assert.Contains("href=\"/corpora\"", page); // the navigation drawer's link
    }

    [Fact]
    public async Task A_folder_whose_csv_has_a_malformed_row_stores_nothing_and_the_page_names_the_file_and_row()
    {
        using var client = NewBrowserlikeClient();
        var name = "emosynth-malformed-" + Guid.NewGuid().ToString("N")[..8];
        var (folder, line) = emosynth.CopyWithMalformedRow("web-" + name);
        await using var db = app.Postgres.NewContext();
        var corporaBefore = await db.Corpora.CountAsync();

        var panel = await WaitForImportAsync(client, await PostImportFormAsync(client, name, "emosynth", folder));

        Assert.Contains("data-outcome=\"Failed\"", panel);
        Assert.Contains("Nothing was stored: 1 error(s)", Text(panel));
        Assert.Contains($"<tr data-severity=\"error\" data-file=\"dev_sent_emo.csv\" data-line=\"{line}\">", panel);
        Assert.Contains("malformed row: Utterance_ID 'one' is not a non-negative integer", panel);
        Assert.Equal(corporaBefore, await db.Corpora.CountAsync());
        Assert.False(await db.Corpora.AnyAsync(c => c.Name == name));
    }

    [Fact]
    public async Task A_bad_form_is_answered_400_with_the_problems_and_starts_nothing()
    {
        using var client = NewBrowserlikeClient();
        using var response = await PostImportFormAsync(client, "Not A Name", "emosynth", "relative/folder");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("id=\"import-form-problems\"", html);
        Assert.Contains("corpus name 'Not A Name' is not usable", html);
        Assert.Contains("source folder 'relative/folder' is not an absolute path", html);
        Assert.DoesNotContain("id=\"corpus-import\"", html);

        // Without the antiforgery token the post is rejected outright.
        using var forged = await client.PostAsync("/corpora", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "corpus-import", ["CorpusFormat"] = "emosynth", ["SourcePath"] = emosynth.Corpus,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task An_unknown_import_id_is_404()
    {
        using var response = await app.Client.GetAsync("/corpora/imports/987654");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
