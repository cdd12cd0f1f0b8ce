using System.Text;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Statistics;
using EmotionLab.Models.Training;
using EmotionLab.Worker.Grids;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>
/// `stats` over a grid stored in a throwaway PostgreSQL whose runs have best-epoch test predictions
/// in their folders: a variant that is the reference's twin shows nothing, one that is really better
/// shows a small McNemar p, its flips and a seeds-needed figure; missing pieces are named.
/// </summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class StatsVerbTests(ThrowawayPostgres postgres) : IAsyncLifetime, IDisposable
{
    private static readonly string[] Labels = ["neutral", "joy", "anger"];
    private readonly string artifacts = Directory.CreateTempSubdirectory("stats-verb-").FullName;
    private long gridId;

    public async Task InitializeAsync()
    {
        var random = new Random(4);
        var truth = Enumerable.Range(0, 200).Select(_ => Labels[random.Next(3)]).ToArray();
        // "reference" is right 55% of the time, "twin" predicts exactly what it predicts, "better" is right 75% of the time.
        string Guess(string t, double accuracy) => random.NextDouble() < accuracy ? t : Labels[(Array.IndexOf(Labels, t) + 1 + random.Next(2)) % 3];
        var now = DateTimeOffset.UtcNow;
        await using var db = postgres.NewContext();
        var corpus = new Corpus { Name = "emosynth-stats-" + Guid.NewGuid().ToString("N")[..8], Format = "emosynth", SourcePath = "/nowhere", ContentHash = "-", ImportedAt = now };
        db.Corpora.Add(corpus);
        var grid = new Grid { Name = "stats test", Family = "baselines", BaseSpecJson = "{}", AxesJson = "[]", Seeds = [0, 1, 2], ReferenceVariant = "reference", CreatedAt = now };
        db.Grids.Add(grid);
        await db.SaveChangesAsync();
        gridId = grid.Id;
        foreach (var seed in new[] { 0, 1, 2 })
        {
            var reference = truth.Select(t => Guess(t, 0.55)).ToArray();
            var better = truth.Select(t => Guess(t, 0.75)).ToArray();
            foreach (var (variant, predicted) in new[] { ("reference", reference), ("twin", reference), ("better", better) })
            {
                var experiment = new Experiment { Name = variant, Family = "baselines", CorpusId = corpus.Id, GridId = grid.Id, SpecJson = "{}", SpecHash = variant, CreatedAt = now };
                db.Experiments.Add(experiment);
                await db.SaveChangesAsync();
                var folder = Path.Combine(artifacts, $"{variant}-{seed}");
                // The twin's file lists the utterances in another order: keys pair them.
                var order = variant == "twin" ? Enumerable.Range(0, truth.Length).Reverse() : Enumerable.Range(0, truth.Length);
                WritePredictions(PredictionsCsv.PathIn(folder, DataSplit.Test), order.Select(i => ($"u{i}", truth[i], predicted[i])));
                db.Runs.Add(new Run
                {
                    ExperimentId = experiment.Id, GridId = grid.Id, Family = "baselines", CorpusId = corpus.Id, Variant = variant, Seed = seed,
                    Status = RunStatus.Succeeded, Attempt = 1, QueuedAt = now, BestEpoch = 1, LogPath = Path.Combine(folder, "train.log"),
                });
            }
        }
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(artifacts, recursive: true);

    private static void WritePredictions(string path, IEnumerable<(string Key, string Truth, string Predicted)> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder("key,true,predicted," + string.Join(",", Labels.Select(l => "p_" + l)) + "\n");
        foreach (var (key, truth, predicted) in rows) text.Append($"{key},{truth},{predicted},0.3,0.3,0.4\n");
        File.WriteAllText(path, text.ToString());
    }

    private async Task<(int Exit, string Output, string Errors)> StatsAsync(string variant, string against, FileInfo? flips = null)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await StatsVerb.RunAsync(gridId, variant, against, 1000, flips, postgres.ConnectionString, output, errors, CancellationToken.None);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task A_twin_of_the_reference_shows_no_difference()
    {
        var (exit, output, errors) = await StatsAsync("twin", "reference");
        Assert.True(exit == 0, errors);
        Assert.Contains("3 seed(s): 0 1 2", output);
        Assert.Equal(3, output.Split('\n').Count(l => l.Contains("only twin 0, only reference 0") && l.EndsWith("p = 1.0000")));
        Assert.Contains("p = 1.0000\n  flips: 0", output.Replace("\r", ""));
        Assert.Contains("+0.00 points", output);
        Assert.Contains("no difference to detect", output);
    }

    [Fact]
    public async Task A_better_variant_shows_a_small_p_its_flips_and_the_seeds_needed()
    {
        var flips = new FileInfo(Path.Combine(artifacts, "flips.csv"));
        var (exit, output, errors) = await StatsAsync("better", "reference", flips);
        Assert.True(exit == 0, errors);
        var combined = double.Parse(System.Text.RegularExpressions.Regex.Match(output, @"optimistic\): p = (\S+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(combined < 1e-4, output);
        Assert.Matches(@"Bootstrap 95% intervals .*1000 resamples", output);
        Assert.Matches(@"better: WA \[0\.\d{4}, 0\.\d{4}\]", output);
        Assert.Matches(@"Weighted F1, paired over seeds: \+\d+\.\d\d points", output);
        Assert.Matches(@"(significant at 3 seeds|about \d+ seeds would show it)", output);

        var rows = File.ReadAllLines(flips.FullName);
        Assert.Equal("seed,key,true,better,reference,right", rows[0]);
        Assert.Contains($"flips: {rows.Length - 1} (utterance, seed) pairs", output);
        Assert.True(rows.Skip(1).Count(r => r.EndsWith(",better")) > rows.Skip(1).Count(r => r.EndsWith(",reference")));
    }

    [Fact]
    public async Task An_unknown_variant_or_missing_predictions_are_named()
    {
        var (exit, _, errors) = await StatsAsync("nope", "reference");
        Assert.Equal(1, exit);
        Assert.Contains("grid has no variant 'nope'".Replace("grid", $"grid {gridId}"), errors);

        File.Delete(PredictionsCsv.PathIn(Path.Combine(artifacts, "better-1"), DataSplit.Test));
        (exit, _, errors) = await StatsAsync("better", "reference");
        Assert.Equal(1, exit);
        Assert.Contains("better-1", errors);
        Assert.Contains("compare where the runs' artifacts are", errors);
    }

    [Fact]
    public void Variant_comparison_needs_shared_keys_and_one_label_set()
    {
        var a = new PredictionRows("a.csv", Labels, ["u1"], ["joy"], ["joy"]);
        var other = new PredictionRows("b.csv", Labels, ["u2"], ["joy"], ["anger"]);
        Assert.Contains("share no utterance key", Assert.Throws<ArgumentException>(() => VariantComparison.Compare([(0, a, other)])).Message);
        var otherLabels = new PredictionRows("c.csv", ["neutral", "joy"], ["u1"], ["joy"], ["joy"]);
        Assert.Contains("c.csv has the labels neutral,joy", Assert.Throws<ArgumentException>(() => VariantComparison.Compare([(0, a, otherLabels)])).Message);
    }
}
