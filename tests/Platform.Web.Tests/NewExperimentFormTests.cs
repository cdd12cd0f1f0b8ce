using EmotionLab.Web.Components.Experiments;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The New experiment form's values and its submit, as the page holds and sends them: defaults, a
/// problem per bad field with nothing stored, a queued experiment. The page's own behaviour in
/// Chromium (messages at their fields, the label sets and the spec following the fields) is in ExperimentBrowserTests.
/// </summary>
[Collection(nameof(TrainingLabFixture))]
public sealed class NewExperimentFormTests(TrainingLabFixture lab)
{
    private async Task<(int Experiments, int Runs)> StoredAsync()
    {
        await using var db = lab.Postgres.NewContext();
        return (await db.Experiments.CountAsync(), await db.Runs.CountAsync());
    }

    private async Task<IReadOnlyList<string>> CorporaAsync()
    {
        await using var db = lab.Postgres.NewContext();
        return await db.Corpora.OrderBy(c => c.Name).Select(c => c.Name).ToListAsync();
    }

    /// <summary>The form as the page opens it for a family, with a name (the only field without a default).</summary>
    private async Task<ExperimentFormState> DefaultFormAsync(string? family = null)
    {
        var state = ExperimentFormState.Defaults(FamilyForms.Find(family) ?? FamilyForms.Default, await CorporaAsync());
        state.Set("name", "form test");
        return state;
    }

    /// <summary>The page's submit, with the app's services: the next address, or null with the problems on the state.</summary>
    private async Task<string?> SubmitAsync(ExperimentFormState state, bool tinyModels = false)
    {
        await using var scope = lab.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ExperimentFormSubmission>().SubmitAsync(state, tinyModels, ownerId: null);
    }

    [Fact]
    public async Task The_form_starts_from_the_spec_and_family_defaults_with_reserved_families_disabled()
    {
        var state = ExperimentFormState.Defaults(FamilyForms.Default, await CorporaAsync());
        var fields = state.Values;
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
        // Every spec value is on the form, and the page's own fields: name and seeds.
        Assert.Equal(expected.Keys.Order(), fields.Keys.Order());
        Assert.Equal(["meld7", "meld4", "meld-sentiment3"], state.LabelSets.Select(s => s.Name));

        // Untouched, the form shows no problem yet (the name is missing, said once it is edited or submitted).
        var build = state.Build();
        Assert.Equal(["name"], build.Problems.Select(p => p.Field));
        state.Problems.AddRange(build.Problems);
        Assert.Empty(state.ProblemsFor("name"));
        // What `submit --spec` takes: the defaults with this corpus, label set and seed.
        Assert.Equal(new ExperimentSpec { Corpus = "emosynth", LabelSet = "meld7", Seed = 1, Baselines = new BaselinesConfig() }, build.Spec);
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
        var fields = (await DefaultFormAsync(family)).Values;
        var defaults = SpecFormField.Of(FamilyForms.Find(family)!.Defaults()).Where(f => f.Path is not ("seed" or "corpus" or "labelSet")).ToList();
        Assert.True(defaults.Count > 20, $"{family} has {defaults.Count} fields");
        foreach (var field in defaults)
            Assert.True(fields.TryGetValue(field.Path, out var shown) && shown == field.Text, $"{field.Path}: expected '{field.Text}', the form has '{shown}'");
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task A_bad_field_gets_its_message_next_to_it_keeps_the_value_and_stores_nothing(string change, string field, string message, string needs)
    {
        var values = (await DefaultFormAsync()).Values.ToDictionary();
        foreach (var assignment in new[] { change, needs }.Where(a => a.Length > 0))
            values[assignment[..assignment.IndexOf('=')]] = assignment[(assignment.IndexOf('=') + 1)..];
        var form = ExperimentFormState.With(values, await CorporaAsync());
        var before = await StoredAsync();

        Assert.Null(await SubmitAsync(form));

        var problems = form.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToList());
        Assert.True(problems.TryGetValue(field, out var messages), $"no message for {field}; found: {string.Join("; ", form.Problems)}");
        Assert.Contains(messages, m => m.Contains(message, StringComparison.Ordinal));
        Assert.Equal([field], problems.Keys); // only the field that is wrong is marked
        Assert.Equal(messages, form.ProblemsFor(field)); // shown at its field once submitted
        // What was given is still in the form.
        foreach (var (name, value) in values) Assert.True(form[name] == value, $"{name}: given '{value}', kept '{form[name]}'");
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task Many_bad_fields_at_once_each_get_their_own_message()
    {
        var form = await DefaultFormAsync();
        var bad = new Dictionary<string, string>
        {
            ["name"] = " ", ["seeds"] = "one", ["labelSet"] = "iemocap6", ["epochs"] = "0", ["batchSize"] = "0", ["optimizer"] = "sgd", ["learningRate"] = "-1",
            ["weightDecay"] = "-1", ["patience"] = "0", ["baselines.hiddenSize"] = "0", ["baselines.dropout"] = "1.5", ["baselines.text.embeddingSize"] = "x",
            ["baselines.text.maxTokens"] = "0", ["baselines.audio.pooling"] = "max", ["baselines.audio.layers"] = "0",
        };
        foreach (var (name, value) in bad) form.Set(name, value);
        var before = await StoredAsync();

        Assert.Null(await SubmitAsync(form));
        Assert.Equal(bad.Keys.Order(), form.Problems.Select(p => p.Field).Distinct().Order());
        Assert.Equal(bad.Count, form.Problems.Count);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task A_valid_form_queues_one_run_per_seed_and_redirects_to_the_experiments_runs()
    {
        await using var paused = await lab.PauseWorkerAsync();
        var form = await DefaultFormAsync();
        form.Set("name", "text baseline, two seeds");
        form.Set("seeds", "7, 8");
        form.Set("baselines.variant", "text");
        form.Set("modalities", "text");
        form.Set("epochs", "4");
        form.Set("learningRate", "2e-3");

        var location = await SubmitAsync(form);
        Assert.NotNull(location);
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
        Assert.Contains("id=\"runs-table\"", await lab.Client.GetStringAsync(location));

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
        var form = await DefaultFormAsync();
        form.Set("name", "one seed");
        var runId = long.Parse(Regex.Match(await SubmitAsync(form) ?? "", "^/runs/(\\d+)$").Groups[1].Value);
        Assert.Equal(RunStatus.Queued, (await lab.RunAsync(runId)).Status);
        using var cancel = await lab.Client.PostAsync($"/api/runs/{runId}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    [Fact]
    public async Task Numbers_read_the_same_whatever_culture_the_server_runs_in()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // German writes 0,0005 and reads "0.0005" as 5; the form reads what the browser sent as the spec does.
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
            var form = await DefaultFormAsync();
            form.Set("learningRate", "0.0005");
            form.Set("weightDecay", "1e-5");
            var spec = form.Build().Spec!;
            Assert.Equal(0.0005, spec.LearningRate);
            Assert.Equal(1e-5, spec.WeightDecay);
            form.Set("learningRate", "0,0005");
            Assert.Contains(form.Build().Problems, p => p.Field == "learningRate");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public async Task Label_sets_follow_the_corpus_and_the_spec_follows_the_fields()
    {
        var form = await DefaultFormAsync();
        var changed = new List<string>();
        form.Changed += changed.Add;
        form.Set("corpus", "iemocap");
        Assert.Equal(["iemocap4", "iemocap6"], form.LabelSets.Select(s => s.Name));
        Assert.Equal("iemocap4", form["labelSet"]); // meld7 is no label set of IEMOCAP: its first takes its place
        form.Set("corpus", "emosynth");
        form.Set("labelSet", "meld4");
        form.Set("corpus", "emosynth");
        Assert.Equal("meld4", form["labelSet"]); // a label set the corpus has stays
        Assert.Equal(["corpus", "corpus", "labelSet", "corpus"], changed);

        form.Set("epochs", "12");
        form.Set("testFold", "3");
        form.Set("baselines.text.encoder", "transformer");
        var spec = form.Build().Spec!;
        Assert.Equal((12, 3, "transformer"), (spec.Epochs, spec.TestFold, spec.Baselines!.Text.Encoder));
        form.Set("batchSize", "0");
        Assert.Equal(["batchSize: must be at least 1, got 0"], form.Build().Problems.Select(p => p.ToString()));
    }
}
