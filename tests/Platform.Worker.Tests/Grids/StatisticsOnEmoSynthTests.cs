using System.Text.Json.Nodes;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Worker.Grids;
using EmotionLab.Worker.Queue;
using EmotionLab.Worker.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>An EmoSynth corpus large enough that its test split (about 170 utterances) can show a real difference.</summary>
public sealed class EmoSynthForStatistics() : GeneratedEmoSynth(new Models.Corpora.EmoSynth.EmoSynthOptions(240, Seed: 8) { MinTurns = 4, MaxTurns = 10 });

/// <summary>
/// The statistics on real training: a baselines grid on EmoSynth where one variant is the
/// reference's spec under another name, and one (text only) really differs. The same spec gives
/// McNemar p = 1 with no flips; the real difference gives small p on every seed, its flips listed,
/// and a grid table whose paired t-test shows it once the seeds it asks for are added (on this
/// corpus the gap, about 19 points, is already significant at two seeds, so one seed is added).
/// </summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class StatisticsOnEmoSynthTests(ThrowawayPostgres postgres, EmoSynthForStatistics emosynth, ITestOutputHelper output) : IClassFixture<EmoSynthForStatistics>
{
    private string Artifacts => Path.Combine(emosynth.Root, "artifacts");

    private static GridAxisValue Row(string label, string variant, string modalities) => new(label, new Dictionary<string, JsonNode?>
    {
        ["baselines.variant"] = variant, ["modalities"] = modalities,
    });

    [Fact]
    public async Task The_same_spec_does_not_differ_and_a_real_difference_is_significant_with_its_flips()
    {
        await DatabaseSchema.MigrateAsync(postgres.ConnectionString);
        var corpus = "emosynth-" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = postgres.NewContext())
        {
            db.Corpora.Add(new Corpus { Name = corpus, Format = "emosynth", SourcePath = emosynth.Corpus, ContentHash = "-", ImportedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        var spec = new ExperimentSpec
        {
            Corpus = corpus, LabelSet = "meld7", Epochs = 10, BatchSize = 32, LearningRate = 1e-3, Patience = 10, Baselines = new BaselinesConfig(),
        };
        GridAxis[] axes = [new("input", [Row("concat", "concat", Modalities.TextAudio), Row("concat again", "concat", Modalities.TextAudio), Row("text", "text", Modalities.Text)])];

        await using var services = SubmitVerb.SubmissionServices(postgres.ConnectionString);
        var submission = services.GetRequiredService<ExperimentSubmission>();
        var grid = await submission.SubmitGridAsync("statistics proof", spec, axes, [0, 1], "concat");
        Assert.True(grid.Succeeded, string.Join("\n", grid.Problems));
        await TrainAsync(services, grid.RunIds);
        var gridId = grid.GridId!.Value;

        await using var context = postgres.NewContext();
        var (same, sameProblem) = await PairedPredictions.CompareAsync(context, gridId, "concat again", "concat");
        Assert.True(same is not null, sameProblem);
        output.WriteLine(StatsVerb.Report(gridId, "concat again", "concat", same));
        var (text, textProblem) = await PairedPredictions.CompareAsync(context, gridId, "text", "concat");
        Assert.True(text is not null, textProblem);
        output.WriteLine(StatsVerb.Report(gridId, "text", "concat", text));

        // One spec, one seed: the same training, so the same predictions.
        Assert.All(same.Seeds, s => Assert.Equal((0, 0, 1.0), (s.McNemar.OnlyA, s.McNemar.OnlyB, s.McNemar.P)));
        Assert.Equal(1.0, same.CombinedP, 12);
        Assert.Null(same.SeedsNeeded);

        // Text alone against text + audio: flips on every seed, each seed significant on its own, and the flips are those utterances.
        Assert.All(text.Seeds, s => Assert.True(s.McNemar.P < 0.01, $"seed {s.Seed}: McNemar p {s.McNemar.P}"));
        Assert.All(text.Seeds, s => Assert.Equal(s.McNemar.OnlyA + s.McNemar.OnlyB, s.Flips.Count));
        Assert.True(text.CombinedP < 1e-6, $"combined McNemar p {text.CombinedP}");

        // The table's paired t-test over two seeds, and the seeds it asks for (none once significant); after adding them it shows the difference.
        var before = await TextRowAsync(context, gridId);
        output.WriteLine($"2 seeds: WF1 delta {before.Cells[GridMetric.WeightedF1].Delta:F4}, p(Holm) {before.Cells[GridMetric.WeightedF1].Test!.ShownP:F4}, seeds needed {before.SeedsNeeded}");
        Assert.Equal(0.0, (await ComparisonAsync(context, gridId)).Rows.Single(r => r.Variant.Variant == "concat again").Cells[GridMetric.WeightedF1].Delta!.Value, 12);
        var more = before.MoreSeeds ?? 1;
        var added = await submission.AddSeedsAsync(gridId, more);
        Assert.True(added.Succeeded, string.Join("\n", added.Problems));
        await TrainAsync(services, added.RunIds);
        var after = await TextRowAsync(context, gridId);
        output.WriteLine($"{after.Variant.N} seeds: p(Holm) {after.Cells[GridMetric.WeightedF1].Test!.ShownP:F4}, seeds needed {after.SeedsNeeded}");
        Assert.Equal(2 + more, after.Variant.N);
        Assert.True(after.Cells[GridMetric.WeightedF1].Test!.IsSignificant, $"p(Holm) {after.Cells[GridMetric.WeightedF1].Test!.ShownP} at {after.Variant.N} seeds");
        Assert.Null(after.SeedsNeeded);
    }

    // Trained here one after the other, with the log where a node keeps it (the predictions are paired from beside it).
    private async Task TrainAsync(ServiceProvider services, IReadOnlyList<long> runIds)
    {
        var queue = services.GetRequiredService<RunQueue>();
        foreach (var runId in runIds) Assert.True(await queue.RemoveAsync(runId));
        foreach (var runId in runIds)
            Assert.Equal(RunStatus.Succeeded, await RunTrainer.RunAsync(postgres.ConnectionString, runId, Artifacts, new StringWriter()));
        await using var db = postgres.NewContext();
        foreach (var run in await db.Runs.Where(r => runIds.Contains(r.Id)).ToListAsync())
            run.LogPath = Path.Combine(Artifacts, "runs", run.Id.ToString(), "trainer.log");
        await db.SaveChangesAsync();
    }

    private static async Task<GridComparison> ComparisonAsync(EmotionLabDbContext db, long gridId) =>
        GridComparison.Build((await new GridResultsQuery(db).ExecuteAsync(gridId))!);

    private static async Task<ComparisonRow> TextRowAsync(EmotionLabDbContext db, long gridId) =>
        (await ComparisonAsync(db, gridId)).Rows.Single(r => r.Variant.Variant == "text");
}
