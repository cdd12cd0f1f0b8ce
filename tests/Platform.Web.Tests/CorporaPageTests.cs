using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmotionLab.Worker.Corpora;
using EmotionLab.Worker.Tests;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Tests;

/// <summary>
/// Corpus imports over HTTP, as a script starts them: POST /api/corpora/imports, its status followed
/// until the import ends, then the Corpora page as it is first served (prerendered) for that import.
/// Corpus names are unique per test: the seeded lab's corpora and runs stay as they are.
/// </summary>
[Collection(nameof(WebAppFixture))]
public sealed partial class CorporaPageTests(WebAppFixture app, SmallEmoSynth emosynth) : IClassFixture<SmallEmoSynth>
{
    [GeneratedRegex("<tr data-split=\"(\\w+)\" data-utterances=\"(\\d+)\" data-dialogues=\"(\\d+)\"")]
    private static partial Regex SplitRow();

    /// <summary>The words of an HTML fragment, tags dropped and white space collapsed.</summary>
    private static string Text(string html) => Regex.Replace(Regex.Replace(html, "<[^>]+>", ""), "\\s+", " ");

    private Task<HttpResponseMessage> PostImportAsync(string name, string format, string path) =>
        app.Client.PostAsJsonAsync("/api/corpora/imports", new { name, format, sourcePath = path });

    /// <summary>The import's panel on the page: from it to the corpora table (whose counts per corpus follow it).</summary>
    private static string ImportPanel(string page)
    {
        var start = page.IndexOf("id=\"corpus-import\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "the page shows no import");
        var end = page.IndexOf("id=\"corpora-table\"", start, StringComparison.Ordinal);
        return end < 0 ? page[start..] : page[start..end];
    }

    /// <summary>Follows the import's status until it has finished; returns it and its panel on the Corpora page.</summary>
    private async Task<(JsonElement Status, string Page)> WaitForImportAsync(HttpResponseMessage posted)
    {
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var location = posted.Headers.Location!.ToString();
        var id = int.Parse(Regex.Match(location, "^/api/corpora/imports/(\\d+)$").Groups[1].Value);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var status = JsonDocument.Parse(await app.Client.GetStringAsync(location)).RootElement.Clone();
            Assert.Equal(id, status.GetProperty("id").GetInt32());
            if (status.GetProperty("outcome").GetString() != "Running")
                return (status, ImportPanel(WebUtility.HtmlDecode(await app.Client.GetStringAsync($"/corpora?import={id}"))));
            Assert.True(DateTime.UtcNow < deadline, "the import did not finish within 3 minutes");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task Importing_from_the_form_runs_in_the_background_and_shows_the_stored_counts_per_split()
    {
        var name = "emosynth-web-" + Guid.NewGuid().ToString("N")[..8];
        var folder = emosynth.Copy("web-" + name);
        var expected = CorpusFormats.Import("emosynth", folder, Path.Combine(emosynth.Root, "expected-" + name)).Corpus!;

        var (status, panel) = await WaitForImportAsync(await PostImportAsync(name, "emosynth", folder));

        Assert.Equal("Succeeded", status.GetProperty("outcome").GetString());
        Assert.Contains("data-outcome=\"Succeeded\"", panel);
        await using var db = app.Postgres.NewContext();
        var corpus = await db.Corpora.SingleAsync(c => c.Name == name);
        Assert.Equal(corpus.Id, status.GetProperty("corpusId").GetInt64());
        Assert.Contains($"Stored as corpus #{corpus.Id} {name}: {expected.Utterances.Count} utterances in {expected.Dialogues.Count} dialogues", Text(panel));
        var splits = SplitRow().Matches(panel).Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value))).ToArray();
        Assert.Equal(expected.Splits.Select(s => (s, expected.Utterances.Count(u => u.Split == s), expected.Dialogues.Count(d => d.Split == s))), splits);
        Assert.Contains("data-label-set=\"meld7\"", panel);
        Assert.Contains("data-label-set=\"meld4\"", panel);
        // The corpus was imported into the app's artifact root, where the trainer looks for it.
        Assert.True(File.Exists(Path.Combine(app.ArtifactRoot, "corpora", name, "emosynth.jsonl")));

        var page = WebUtility.HtmlDecode(await app.Client.GetStringAsync("/corpora"));
        Assert.Contains($"<tr data-corpus-name=\"{name}\" data-corpus-id=\"{corpus.Id}\" data-utterances=\"{expected.Utterances.Count}\" data-dialogues=\"{expected.Dialogues.Count}\"", page);
        Assert.Contains("href=\"/corpora\"", page); // the navigation drawer's link
    }

    [Fact]
    public async Task A_folder_whose_csv_has_a_malformed_row_stores_nothing_and_the_page_names_the_file_and_row()
    {
        var name = "emosynth-malformed-" + Guid.NewGuid().ToString("N")[..8];
        var (folder, line) = emosynth.CopyWithMalformedRow("web-" + name);
        await using var db = app.Postgres.NewContext();
        var corporaBefore = await db.Corpora.CountAsync();

        var (status, panel) = await WaitForImportAsync(await PostImportAsync(name, "emosynth", folder));

        Assert.Equal("Failed", status.GetProperty("outcome").GetString());
        var problem = status.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("severity").GetString() == "error");
        Assert.Equal(("error", "dev_sent_emo.csv", line), (problem.GetProperty("severity").GetString(), problem.GetProperty("file").GetString(), problem.GetProperty("line").GetInt32()));
        Assert.Contains("data-outcome=\"Failed\"", panel);
        Assert.Contains("Nothing was stored: 1 error(s)", Text(panel));
        Assert.Contains($"<tr data-severity=\"error\" data-file=\"dev_sent_emo.csv\" data-line=\"{line}\">", panel);
        Assert.Contains("malformed row: Utterance_ID 'one' is not a non-negative integer", panel);
        Assert.Equal(corporaBefore, await db.Corpora.CountAsync());
        Assert.False(await db.Corpora.AnyAsync(c => c.Name == name));
    }

    [Fact]
    public async Task A_bad_request_is_answered_400_with_every_problem_and_starts_nothing()
    {
        await using var db = app.Postgres.NewContext();
        var corporaBefore = await db.Corpora.CountAsync();
        using var response = await PostImportAsync("Not A Name", "emosynth", "relative/folder");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var messages = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("message").GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains("corpus name 'Not A Name' is not usable"));
        Assert.Contains(messages, m => m.Contains("source folder 'relative/folder' is not an absolute path"));
        Assert.Equal(corporaBefore, await db.Corpora.CountAsync());
    }

    [Fact]
    public async Task An_unknown_import_id_is_404()
    {
        using var response = await app.Client.GetAsync("/api/corpora/imports/987654");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
