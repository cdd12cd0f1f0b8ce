using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Tests.Corpora;
using EmotionLab.Models.Training;
using EmotionLab.Worker.Corpora;
using EmotionLab.Worker.Grids;
using EmotionLab.Worker.Queue;
using EmotionLab.Worker.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace EmotionLab.Worker.Tests;

/// <summary>
/// An IEMOCAP tree of three sessions (ten dialogues each, transcripts whose words carry the emotion,
/// no audio), registered in the throwaway database: enough dialogues per session for leave-one-
/// session-out to leave validation dialogues in the training sessions.
/// </summary>
public sealed class ThreeSessionIemocap : IDisposable
{
    public const int Sessions = 3;

    private static readonly Dictionary<string, string[]> Cues = new()
    {
        ["neu"] = ["the meeting is at noon", "we take the train at nine", "the report is on the desk"],
        ["hap"] = ["I am so happy and glad", "this is wonderful news, I love it", "great, what a lovely day"],
        ["ang"] = ["I am furious, stop it now", "this is outrageous and I hate it", "get out, I am so angry"],
        ["sad"] = ["I feel so sad and lonely", "I miss her, I cannot stop crying", "everything is lost, I am heartbroken"],
    };

    public ThreeSessionIemocap()
    {
        Folder = CorpusFiles.NewTempFolder("iemocap-folds");
        Root = Path.Combine(Folder, "IEMOCAP_full_release");
        var random = new Random(5);
        var labels = Cues.Keys.ToArray();
        for (var session = 1; session <= Sessions; session++)
            for (var d = 1; d <= 10; d++)
            {
                var dialog = $"Ses0{session}F_impro{d:00}";
                var evaluation = new List<string>();
                var transcription = new List<string>();
                for (var t = 0; t < 8; t++)
                {
                    var (label, turn) = (labels[random.Next(labels.Length)], $"{dialog}_{(t % 2 == 0 ? 'F' : 'M')}{t / 2:000}");
                    var (start, end) = (t * 2.0 + 1, t * 2.0 + 2.5);
                    evaluation.Add($"[{start:0.0000} - {end:0.0000}]\t{turn}\t{label}\t[2.5000, 2.5000, 2.5000]");
                    transcription.Add($"{turn} [{start:000.0000}-{end:000.0000}]: {Cues[label][random.Next(3)]}.");
                }
                CorpusFiles.WriteLf(Root, $"Session{session}/dialog/EmoEvaluation/{dialog}.txt", [.. evaluation]);
                CorpusFiles.WriteLf(Root, $"Session{session}/dialog/transcriptions/{dialog}.txt", [.. transcription]);
            }
    }

    public string Folder { get; }
    public string Root { get; }
    public string Artifacts => Path.Combine(Folder, "artifacts");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>
/// A grid over IEMOCAP's folds end to end: submission refuses folds the corpus lacks, each run holds
/// its session out as the test split and learns from the others, and the table is the mean over folds.
/// </summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class LeaveOneFoldOutGridTests(ThrowawayPostgres postgres, ThreeSessionIemocap iemocap, ITestOutputHelper output) : IClassFixture<ThreeSessionIemocap>
{
    private static ExperimentSpec TextBaseline(string corpus) => new()
    {
        Corpus = corpus, LabelSet = "iemocap4", Modalities = Modalities.Text, Epochs = 6, BatchSize = 16, LearningRate = 3e-3, Patience = 6,
        Baselines = new BaselinesConfig { Variant = BaselinesConfig.TextVariant },
    };

    [Fact]
    public async Task Each_fold_tests_on_its_own_session_and_the_table_is_the_mean_over_folds()
    {
        await DatabaseSchema.MigrateAsync(postgres.ConnectionString);
        var name = "iemocap-" + Guid.NewGuid().ToString("N")[..8];
        await using (var database = NpgsqlDataSource.Create(postgres.ConnectionString))
        {
            var registered = await new CorpusRegistration(database).RegisterAsync(
                new CorpusRegistrationRequest(name, "iemocap", iemocap.Root, Path.Combine(iemocap.Artifacts, "corpora", name)));
            Assert.True(registered.Succeeded, string.Join("\n", registered.Problems));
        }
        await using var services = SubmitVerb.SubmissionServices(postgres.ConnectionString);
        var submission = services.GetRequiredService<ExperimentSubmission>();

        var refused = await submission.SubmitGridAsync("five folds", TextBaseline(name), [GridAxis.Folds(5)], [1], "fold 1");
        Assert.Equal(
            [$"testFold: variant 'fold 4': corpus '{name}' has no fold 4; its folds are 1, 2, 3", $"testFold: variant 'fold 5': corpus '{name}' has no fold 5; its folds are 1, 2, 3"],
            refused.Problems.Select(p => p.ToString()));

        var grid = await submission.SubmitGridAsync("three folds", TextBaseline(name), [GridAxis.Folds(ThreeSessionIemocap.Sessions)], [1], "fold 1");
        Assert.True(grid.Succeeded, string.Join("\n", grid.Problems));
        var queue = services.GetRequiredService<RunQueue>();
        foreach (var runId in grid.RunIds) Assert.True(await queue.RemoveAsync(runId)); // trained here, one after the other

        var scores = new List<double>();
        foreach (var runId in grid.RunIds)
        {
            var log = new StringWriter();
            Assert.Equal(RunStatus.Succeeded, await RunTrainer.RunAsync(postgres.ConnectionString, runId, iemocap.Artifacts, log));
            await using var db = postgres.NewContext();
            var run = await db.Runs.Include(r => r.Experiment).SingleAsync(r => r.Id == runId);
            var fold = ExperimentSpecJson.Parse(run.Experiment!.SpecJson).Spec!.TestFold!.Value;
            Assert.Contains($"leave-one-fold-out, fold {fold} is the test split", log.ToString());

            var predictions = PredictionsCsv.Read(PredictionsCsv.PathIn(Path.Combine(iemocap.Artifacts, "runs", runId.ToString()), DataSplit.Test));
            Assert.All(predictions.Keys, key => Assert.StartsWith($"iemocap-Ses0{fold}F_", key));
            Assert.Equal(10 * 8, predictions.Keys.Count);

            var test = await db.EpochMetrics.SingleAsync(m => m.RunId == runId && m.Split == "test" && m.Epoch == run.BestEpoch);
            var matrix = await db.ConfusionMatrices.SingleAsync(m => m.RunId == runId && m.Split == "test" && m.Epoch == run.BestEpoch);
            Assert.True(test.WeightedF1 > MajorityClass.WeightedF1(matrix) + 0.2, $"fold {fold}: {test.WeightedF1:F3} vs majority {MajorityClass.WeightedF1(matrix):F3}");
            output.WriteLine($"fold {fold}: test weighted F1 {test.WeightedF1:F3} (majority {MajorityClass.WeightedF1(matrix):F3})");
            scores.Add(test.WeightedF1);
        }

        await using (var db = postgres.NewContext())
        {
            var comparison = GridComparison.Build((await new GridResultsQuery(db).ExecuteAsync(grid.GridId!.Value))!);
            var row = Assert.Single(comparison.Rows);
            Assert.Equal(("mean over folds", 1), (row.Variant.Variant, row.Variant.N));
            Assert.Equal(scores.Average(), row.Cells[GridMetric.WeightedF1].Scores.Mean!.Value, 9);
            Assert.Equal(["fold 1", "fold 2", "fold 3"], comparison.AveragedFolds);
        }
    }
}
