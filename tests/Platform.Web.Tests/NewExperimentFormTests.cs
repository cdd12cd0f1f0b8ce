using EmotionLab.Web.Components.Experiments;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Tests;

/// <summary>The New experiment form over HTTP, as a browser submits it: defaults, a problem per bad field with nothing stored, and a queued experiment.</summary>
[Collection(nameof(TrainingLabFixture))]
public sealed class NewExperimentFormTests(TrainingLabFixture lab)
{
    private const string FormUrl = "/experiments/new";

    /// <summary>Where a redirect points, as path and query on this app.</summary>
    private static string LocalPath(HttpResponseMessage redirect)
    {
        var location = redirect.Headers.Location ?? throw new Xunit.Sdk.XunitException($"{(int)redirect.StatusCode} without a Location");
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    private async Task<(int Experiments, int Runs)> StoredAsync()
    {
        await using var db = lab.Postgres.NewContext();
        return (await db.Experiments.CountAsync(), await db.Runs.CountAsync());
    }

    /// <summary>The page's form as a browser would submit it untouched, with a name (the only field without a default).</summary>
    private static async Task<Dictionary<string, string>> DefaultFormAsync(BrowserSession session)
    {
        var fields = HtmlForm.Fields(await session.GetHtmlAsync(FormUrl), "experiment-form");
        fields["name"] = "form test";
        return fields;
    }

    [Fact]
    public async Task The_form_starts_from_the_spec_and_family_defaults_with_reserved_families_disabled()
    {
        using var session = new BrowserSession(lab.BaseAddress);
        var html = await session.GetHtmlAsync(FormUrl);
        var fields = HtmlForm.Fields(html, "experiment-form");
        var spec = new ExperimentSpec();
        var baselines = new BaselinesConfig();
        var expected = new Dictionary<string, string>
        {
            ["family"] = "baselines", ["corpus"] = "emosynth", ["labelSet"] = "meld7", ["task"] = spec.Task, ["modalities"] = spec.Modalities,
            ["epochs"] = "30", ["batchSize"] = "32", ["optimizer"] = spec.Optimizer, ["learningRate"] = "0.001", ["weightDecay"] = "0.0001", ["patience"] = "5", ["precision"] = "fp32",
            ["gradientAccumulation"] = "1", ["schedule"] = "constant", ["warmupFraction"] = "0.1", ["decayEveryEpochs"] = "10", ["decayFactor"] = "0.1",
            ["maxGradientNorm"] = "0", ["testFold"] = "", ["device"] = "",
            ["baselines.variant"] = baselines.Variant, ["baselines.hiddenSize"] = "128", ["baselines.dropout"] = "0.3",
            ["baselines.text.encoder"] = baselines.Text.Encoder, ["baselines.text.embeddingSize"] = "64", ["baselines.text.heads"] = "2",
            ["baselines.text.maxTokens"] = "48", ["baselines.audio.pooling"] = baselines.Audio.Pooling, ["baselines.audio.layers"] = "1",
            ["name"] = "", ["seeds"] = "1",
        };
        foreach (var (name, value) in expected) Assert.True(fields.TryGetValue(name, out var shown) && shown == value, $"{name}: expected '{value}', the form has '{shown}'");
        // Every spec value is on the form (the page's own fields besides: name, seeds, the antiforgery token and Blazor's form name).
        Assert.Equal(expected.Keys.Order(), fields.Keys.Where(k => !k.StartsWith('_')).Order());

        Assert.Equal([("baselines", false), ("bcaf", false), ("jointvector", false), ("eaa", false), ("emoq", false)], HtmlForm.Options(html, "family"));
        Assert.Equal([("erc", false), ("epc", true)], HtmlForm.Options(html, "task"));
        Assert.Equal(["meld7", "meld4", "meld-sentiment3"], HtmlForm.Options(html, "labelSet").Select(o => o.Value));
        Assert.Empty(HtmlForm.Problems(html));

        // The collapsible spec block holds what `submit --spec` takes: the defaults with this corpus, label set and seed.
        var json = WebUtility.HtmlDecode(Regex.Match(html, "<pre[^>]*id=\"spec-json\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value);
        Assert.Equal(new ExperimentSpec { Corpus = "emosynth", LabelSet = "meld7", Seed = 1, Baselines = new BaselinesConfig() }, ExperimentSpecJson.ParseAndValidate(json).Spec);
        Assert.Contains("Platform.Worker submit --spec spec.json --seeds 1", html);
    }

    /// <summary>One bad value (plus any field it needs to be checked), the field its message belongs to, and a piece of that message.</summary>
    public static TheoryData<string, string, string, string> BadFields => new()
    {
        { "family=nope", "family", "unknown family 'nope'", "" },
        { "corpus=", "corpus", "required", "" },
        { "corpus=meld", "corpus", "there is no imported corpus 'meld'", "" },
        { "labelSet=iemocap4", "labelSet", "'iemocap4' is not a label set of corpus 'emosynth'; one of meld7, meld4, meld-sentiment3", "" },
        { "task=epc", "task", "family 'baselines' does not support task 'epc'", "" },
        { "task=sentiment", "task", "unknown task 'sentiment'", "" },
        { "precision=fp8", "precision", "unknown precision 'fp8'; one of fp32, bf16", "" },
        { "modalities=video", "modalities", "unknown modalities 'video'", "" },
        { "modalities=audio", "modalities", "variant 'concat' uses modalities 'text+audio', not 'audio'", "" },
        { "epochs=0", "epochs", "must be at least 1, got 0", "" },
        { "epochs=2.5", "epochs", "'2.5' is not a whole number", "" },
        { "epochs=", "epochs", "required", "" },
        { "batchSize=-4", "batchSize", "must be at least 1, got -4", "" },
        { "optimizer=sgd", "optimizer", "unknown optimizer 'sgd'; one of adam, adamw", "" },
        { "learningRate=0", "learningRate", "must be a positive number, got 0", "" },
        { "learningRate=fast", "learningRate", "'fast' is not a number", "" },
        { "weightDecay=-0.1", "weightDecay", "must be zero or positive, got -0.1", "" },
        { "patience=0", "patience", "must be at least 1 epoch, got 0", "" },
        { "testFold=0", "testFold", "a fold number is 1 or more", "" },
        { "testFold=first", "testFold", "'first' is not a whole number", "" },
        { "baselines.variant=lstm", "baselines.variant", "unknown variant 'lstm'; one of text, audio, concat", "" },
        { "baselines.hiddenSize=0", "baselines.hiddenSize", "must be at least 1, got 0", "" },
        { "baselines.dropout=1", "baselines.dropout", "must be in [0, 1), got 1", "" },
        { "baselines.text.encoder=gru", "baselines.text.encoder", "unknown encoder 'gru'; one of mean, transformer", "" },
        { "baselines.text.embeddingSize=0", "baselines.text.embeddingSize", "must be at least 1, got 0", "" },
        { "baselines.text.heads=3", "baselines.text.heads", "must be at least 1 and divide embeddingSize 64, got 3", "baselines.text.encoder=transformer" },
        { "baselines.text.maxTokens=0", "baselines.text.maxTokens", "must be at least 1, got 0", "" },
        { "baselines.audio.pooling=max", "baselines.audio.pooling", "unknown pooling 'max'; one of mean, meanstd", "" },
        { "baselines.audio.layers=5", "baselines.audio.layers", "must be in 1..4, got 5", "" },
        { "name=", "name", "give the experiment a name", "" },
        { "seeds=", "seeds", "give at least one seed", "" },
        { "seeds=1, x", "seeds", "'x' is not a whole number", "" },
        { "seeds=2 2", "seeds", "seed 2 is given twice", "" },
    };

    [Theory]
    [InlineData("bcaf")]
    [InlineData("jointvector")]
    [InlineData("eaa")]
    public async Task Each_family_form_shows_every_field_of_its_default_spec_with_its_value(string family)
    {
        using var session = new BrowserSession(lab.BaseAddress);
        var fields = HtmlForm.Fields(await session.GetHtmlAsync($"{FormUrl}?family={family}"), "experiment-form");
        var defaults = SpecFormField.Of(FamilyForms.Find(family)!.Defaults()).Where(f => f.Path is not ("seed" or "corpus" or "labelSet")).ToList();
        Assert.True(defaults.Count > 20, $"{family} has {defaults.Count} fields");
        foreach (var field in defaults)
            Assert.True(fields.TryGetValue(field.Path, out var shown) && shown == field.Text, $"{field.Path}: expected '{field.Text}', the form has '{shown}'");
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task A_bad_field_gets_its_message_next_to_it_keeps_the_value_and_stores_nothing(string change, string field, string message, string needs)
    {
        using var session = new BrowserSession(lab.BaseAddress);
        var form = await DefaultFormAsync(session);
        foreach (var assignment in new[] { change, needs }.Where(a => a.Length > 0))
        {
            var (name, value) = (assignment[..assignment.IndexOf('=')], assignment[(assignment.IndexOf('=') + 1)..]);
            form[name] = value;
        }
        var before = await StoredAsync();

        using var response = await session.PostFormAsync(FormUrl, form);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var problems = HtmlForm.Problems(html);
        Assert.True(problems.TryGetValue(field, out var messages), $"no message for {field}; shown: {string.Join("; ", problems.Select(p => $"{p.Key}: {string.Join(" | ", p.Value)}"))}");
        Assert.Contains(messages, m => m.Contains(message, StringComparison.Ordinal));
        Assert.Equal([field], problems.Keys); // only the field that is wrong is marked
        Assert.Matches($"id=\"{Regex.Escape(field.Replace('.', '-'))}\"[^>]*aria-invalid=\"true\"|aria-invalid=\"true\"[^>]*id=\"{Regex.Escape(field.Replace('.', '-'))}\"", html);
        Assert.Contains("Nothing was queued", html);

        // What the user sent is still in the form.
        var shown = HtmlForm.Fields(html, "experiment-form");
        foreach (var (name, value) in form.Where(f => !f.Key.StartsWith('_'))) Assert.True(shown.GetValueOrDefault(name) == value, $"{name}: sent '{value}', shown '{shown.GetValueOrDefault(name)}'");
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task Many_bad_fields_at_once_each_get_their_own_message()
    {
        using var session = new BrowserSession(lab.BaseAddress);
        var form = await DefaultFormAsync(session);
        var bad = new Dictionary<string, string>
        {
            ["name"] = " ", ["seeds"] = "one", ["labelSet"] = "iemocap6", ["epochs"] = "0", ["batchSize"] = "0", ["optimizer"] = "sgd", ["learningRate"] = "-1",
            ["weightDecay"] = "-1", ["patience"] = "0", ["baselines.hiddenSize"] = "0", ["baselines.dropout"] = "1.5", ["baselines.text.embeddingSize"] = "x",
            ["baselines.text.maxTokens"] = "0", ["baselines.audio.pooling"] = "max", ["baselines.audio.layers"] = "0",
        };
        foreach (var (name, value) in bad) form[name] = value;
        var before = await StoredAsync();

        using var response = await session.PostFormAsync(FormUrl, form);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(bad.Keys.Order(), HtmlForm.Problems(html).Keys.Order());
        Assert.Contains($"{bad.Count} problems", html);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        using var session = new BrowserSession(lab.BaseAddress);
        var form = await DefaultFormAsync(session);
        form.Remove("__RequestVerificationToken");
        var before = await StoredAsync();
        using var response = await session.PostFormAsync(FormUrl, form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task A_valid_form_queues_one_run_per_seed_and_redirects_to_the_experiments_runs()
    {
        await using var paused = await lab.PauseWorkerAsync();
        using var session = new BrowserSession(lab.BaseAddress);
        var form = await DefaultFormAsync(session);
        form["name"] = "text baseline, two seeds";
        form["seeds"] = "7, 8";
        form["baselines.variant"] = "text";
        form["modalities"] = "text";
        form["epochs"] = "4";
        form["learningRate"] = "2e-3";

        using var response = await session.PostFormAsync(FormUrl, form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = LocalPath(response);
        var experimentId = long.Parse(Regex.Match(location, "^/runs\\?experiment=(\\d+)$").Groups[1].Value);

        await using var db = lab.Postgres.NewContext();
        var experiment = await db.Experiments.SingleAsync(e => e.Id == experimentId);
        Assert.Equal("text baseline, two seeds", experiment.Name);
        var spec = ExperimentSpecJson.ParseAndValidate(experiment.SpecJson).Spec!;
        Assert.Equal(ExperimentSpecJson.Canonical(new ExperimentSpec
        {
            Corpus = "emosynth", LabelSet = "meld7", Modalities = "text", Epochs = 4, LearningRate = 2e-3, Seed = 7,
            Baselines = new BaselinesConfig { Variant = "text" },
        }), ExperimentSpecJson.Canonical(spec));
        var runs = await db.Runs.Where(r => r.ExperimentId == experimentId).OrderBy(r => r.Seed).ToListAsync();
        Assert.Equal([7, 8], runs.Select(r => r.Seed));
        Assert.All(runs, r => Assert.Equal(RunStatus.Queued, r.Status));
        foreach (var run in runs) Assert.True(await lab.IsOnQueueAsync(run.Id));

        // The page it lands on is the runs list filtered to this experiment (its rows come over the circuit: RunPageBrowserTests).
        Assert.Contains("id=\"runs-table\"", await session.GetHtmlAsync(location));

        // Scripts cancel them through the API: queued runs are Canceled at once and leave the queue.
        foreach (var run in runs)
        {
            using var cancel = await lab.Client.PostAsync($"/api/runs/{run.Id}/cancel", null);
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            Assert.False(await lab.IsOnQueueAsync(run.Id));
        }
    }

    [Fact]
    public async Task One_seed_redirects_to_its_run_page()
    {
        await using var paused = await lab.PauseWorkerAsync();
        using var session = new BrowserSession(lab.BaseAddress);
        var form = await DefaultFormAsync(session);
        form["name"] = "one seed";
        using var response = await session.PostFormAsync(FormUrl, form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var runId = long.Parse(Regex.Match(LocalPath(response), "^/runs/(\\d+)$").Groups[1].Value);
        Assert.Equal(RunStatus.Queued, (await lab.RunAsync(runId)).Status);
        using var cancel = await lab.Client.PostAsync($"/api/runs/{runId}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [Fact]
    public async Task Label_sets_follow_the_corpus_and_the_spec_preview_follows_the_fields()
    {
        using var session = new BrowserSession(lab.BaseAddress);
        var iemocap = await session.GetHtmlAsync("/experiments/new/label-set?corpus=iemocap");
        Assert.Equal(["iemocap4", "iemocap6"], HtmlForm.Options(iemocap, "labelSet").Select(o => o.Value));
        Assert.DoesNotContain("<html", iemocap);

        var form = await DefaultFormAsync(session);
        form["epochs"] = "12";
        form["testFold"] = "3";
        form["baselines.text.encoder"] = "transformer";
        using var preview = await session.PostFormAsync("/experiments/new/spec-json", form);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var html = await preview.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(WebUtility.HtmlDecode(Regex.Match(html, "<pre[^>]*id=\"spec-json\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value));
        Assert.Equal(12, json.RootElement.GetProperty("epochs").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("testFold").GetInt32());
        Assert.Equal("transformer", json.RootElement.GetProperty("baselines").GetProperty("text").GetProperty("encoder").GetString());
        Assert.Contains("Platform.Worker submit --spec spec.json --seeds 1 --name 'form test'", WebUtility.HtmlDecode(html));

        Assert.DoesNotContain("spec-json-problems", html);
        form["batchSize"] = "0";
        using (var withProblem = await session.PostFormAsync("/experiments/new/spec-json", form))
            Assert.Contains("<div>batchSize: must be at least 1, got 0</div>", await withProblem.Content.ReadAsStringAsync());

        form.Remove("__RequestVerificationToken");
        using var forged = await session.PostFormAsync("/experiments/new/spec-json", form);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}
