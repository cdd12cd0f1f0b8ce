using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Experiments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmotionLab.Worker.Queue;

/// <summary>`submit --spec FILE [--seeds ...] [--wait]`: queues an experiment from a script and optionally waits for its runs.</summary>
public static class SubmitVerb
{
    public static async Task<int> RunAsync(FileInfo specFile, int[]? seeds, string? name, string? connectionString, bool wait,
        TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await errors.WriteLineAsync("submit: no database: pass --database or set ConnectionStrings__EmotionLab");
            return 2;
        }
        if (!specFile.Exists)
        {
            await errors.WriteLineAsync($"submit: {specFile.FullName} does not exist");
            return 2;
        }
        var parsed = ExperimentSpecJson.ParseAndValidate(await File.ReadAllTextAsync(specFile.FullName, cancellation));
        if (parsed.Spec is not { } spec)
        {
            foreach (var problem in parsed.Problems) await errors.WriteLineAsync($"{specFile.Name}: {problem}");
            return 1;
        }

        await DatabaseSchema.MigrateAsync(connectionString, cancellation);
        await using var services = SubmissionServices(connectionString);
        var submission = services.GetRequiredService<ExperimentSubmission>();
        var result = await submission.SubmitExperimentAsync(name ?? Path.GetFileNameWithoutExtension(specFile.Name), spec,
            seeds is { Length: > 0 } ? seeds : [spec.Seed], cancellation);
        if (!result.Succeeded)
        {
            foreach (var problem in result.Problems) await errors.WriteLineAsync($"{specFile.Name}: {problem}");
            return 1;
        }
        await output.WriteLineAsync($"experiment: {result.ExperimentIds[0]}");
        await output.WriteLineAsync($"runs: {string.Join(" ", result.RunIds)}");
        return wait ? await WaitAsync(connectionString, result.RunIds, output, cancellation) : 0;
    }

    /// <summary>A queue client: Quartz's store without a started scheduler, so this process only enqueues.</summary>
    public static ServiceProvider SubmissionServices(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddRunQueue(_ => new PlatformDatabase(connectionString), node: null);
        services.AddSingleton<ExperimentSubmission>();
        return services.BuildServiceProvider();
    }

    private static async Task<int> WaitAsync(string connectionString, IReadOnlyList<long> runIds, TextWriter output, CancellationToken cancellation)
    {
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
        var finished = new[] { RunStatus.Succeeded, RunStatus.Failed, RunStatus.Canceled };
        List<Run> runs;
        while (true)
        {
            runs = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync(cancellation);
            if (runs.All(r => finished.Contains(r.Status))) break;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
        }
        foreach (var run in runs)
        {
            var test = run.BestEpoch is { } best
                ? await db.EpochMetrics.AsNoTracking().SingleOrDefaultAsync(m => m.RunId == run.Id && m.Epoch == best && m.Split == "test", cancellation)
                : null;
            var scores = test is null ? "" : FormattableString.Invariant($" best epoch {run.BestEpoch}: test WA {test.WA:F4} UA {test.UA:F4} WF1 {test.WeightedF1:F4} MF1 {test.MacroF1:F4}");
            await output.WriteLineAsync($"run {run.Id} seed {run.Seed}: {run.Status}{scores}{(run.Error is null ? "" : $" ({run.Error})")}");
        }
        return runs.All(r => r.Status == RunStatus.Succeeded) ? 0 : 1;
    }
}
