using System.CommandLine;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Models.Experiments;
using EmotionLab.Worker.Api;
using EmotionLab.Worker.Grids;
using EmotionLab.Worker.Pretrained;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// `submit --spec FILE [--seeds ...] [--wait]` queues an experiment from a script;
/// `submit --template NAME --corpus NAME --seeds K [--epochs E] [--set "field = value" ...] [--wait]` queues a grid
/// template's variants x seeds 0..K-1 and, with --wait, prints the finished grid as its Markdown table.
/// `--tiny-models` fills the family's model folders with tiny random ones (<see cref="TinyModelFolders"/>) for a dry run on CPU.
/// From a researcher's machine it goes through the platform's API with their token (`--url`, `--token`:
/// <see cref="RemoteSubmission"/>), so the work is theirs; a worker node may queue into the database directly (`--database`).
/// </summary>
public static class SubmitVerb
{
    public static Command Command()
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "An experiment spec as JSON (the New experiment page shows one)." };
        var template = new Option<string?>("--template")
        {
            Description = $"A grid template ({string.Join(", ", GridTemplates.All.Select(t => t.Name))}): its variants on --corpus, each with seeds 0..K-1.",
        };
        var corpus = new Option<string?>("--corpus") { Description = "With --template: the imported corpus the grid trains on." };
        var seeds = new Option<int[]?>("--seeds")
        {
            Description = "With --spec: the seeds, one run each (default: the spec's seed). With --template: K, the number of seeds (0..K-1).",
            AllowMultipleArgumentsPerToken = true,
        };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs at most, instead of the spec's or the template's." };
        var set = new Option<string[]>("--set")
        {
            Description = "A spec field to set, as 'field = value' (e.g. 'learningRate = 1e-3', 'jointVector.hiddenSize = 128'); repeatable. With --template it applies to the base spec, before the axes.",
        };
        var name = new Option<string?>("--name") { Description = "Experiment or grid name (default: the spec file's name, or \"TEMPLATE on CORPUS\")." };
        var database = new Option<string?>("--database")
        {
            Description = $"A worker node: queue into the platform's PostgreSQL directly, with this connection string (or {PlatformTarget.DatabaseVariable}), owned by no account.",
        };
        var url = new Option<string?>("--url") { Description = $"The platform's address (default: {PlatformTarget.UrlVariable}, or {PlatformTarget.DefaultUrl}, where scripts/start.sh serves it)." };
        var token = new Option<string?>("--token") { Description = $"Your API token, made on the platform's account page (default: {PlatformTarget.TokenVariable})." };
        var project = new Option<string?>("--project") { Description = "The project the experiment or grid goes into (made if the lab has none of that name)." };
        var tinyModels = new Option<bool>("--tiny-models")
        {
            Description = "A smoke test: every model folder of the family's config (an LLM, pretrained encoders) becomes a tiny random folder under ARTIFACTS/models/ (written once), so the grid runs on CPU in minutes.",
        };
        var artifacts = new Option<string?>("--artifacts")
        {
            HelpName = "DIR", Description = "The artifact root the worker nodes use (default: Worker__ArtifactRoot or ./artifacts): model folders named in a spec are checked under its models/, and --tiny-models writes there.",
        };
        var wait = new Option<bool>("--wait")
        {
            Description = "Wait until every run has finished, then print each run's result (--spec) or the grid's Markdown table (--template); exit 1 unless all succeeded.",
        };
        var submit = new Command("submit", "Queue an experiment from a spec (one run per seed) or a grid from a template (its variants x seeds).")
            { spec, template, corpus, seeds, epochs, set, tinyModels, artifacts, name, project, url, token, database, wait };
        submit.SetAction(async (result, cancellation) =>
        {
            var (specFile, templateName) = (result.GetValue(spec), result.GetValue(template));
            if ((specFile is null) == (templateName is null))
            {
                await Console.Error.WriteLineAsync("submit: give either --spec FILE or --template NAME");
                return 2;
            }
            var (target, problem) = PlatformTarget.Resolve("submit", result.GetValue(url), result.GetValue(token), result.GetValue(database));
            if (target is null)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }
            if (target.IsApi)
            {
                if (result.GetValue(artifacts) is not null)
                {
                    await Console.Error.WriteLineAsync("submit: --artifacts is a worker node's (with --database); over the API the platform checks and writes model folders under its own artifact root");
                    return 2;
                }
                using var api = target.OpenApi();
                return templateName is not null
                    ? await RemoteSubmission.SubmitTemplateAsync(api, templateName, result.GetValue(corpus), result.GetValue(seeds), result.GetValue(epochs), result.GetValue(set) ?? [],
                        result.GetValue(name), result.GetValue(project), result.GetValue(tinyModels), result.GetValue(wait), Console.Out, Console.Error, cancellation)
                    : result.GetValue(corpus) is not null
                        ? await Refuse("submit: --corpus goes with --template; a spec names its own corpus")
                        : await RemoteSubmission.SubmitSpecAsync(api, specFile!, result.GetValue(seeds), result.GetValue(epochs), result.GetValue(set) ?? [],
                            result.GetValue(name), result.GetValue(project), result.GetValue(tinyModels), result.GetValue(wait), Console.Out, Console.Error, cancellation);
            }
            var connection = target.ConnectionString;
            var artifactRoot = ModelsVerb.ArtifactRoot(result.GetValue(artifacts));
            if (templateName is not null)
                return await RunTemplateAsync(templateName, result.GetValue(corpus), result.GetValue(seeds), result.GetValue(epochs), result.GetValue(set) ?? [], result.GetValue(name),
                    connection, result.GetValue(wait), Console.Out, Console.Error, cancellation, artifactRoot, result.GetValue(tinyModels), result.GetValue(project));
            if (result.GetValue(corpus) is not null) return await Refuse("submit: --corpus goes with --template; a spec names its own corpus");
            return await RunAsync(specFile!, result.GetValue(seeds), result.GetValue(epochs), result.GetValue(set) ?? [], result.GetValue(name), connection, result.GetValue(wait),
                Console.Out, Console.Error, cancellation, artifactRoot, result.GetValue(tinyModels), result.GetValue(project));
        });
        return submit;

        static async Task<int> Refuse(string problem)
        {
            await Console.Error.WriteLineAsync(problem);
            return 2;
        }
    }

    /// <param name="artifactRoot">where model folders are found and tiny ones written (null: Worker__ArtifactRoot or ./artifacts)</param>
    /// <param name="tinyModels">fill the family's model folders with tiny random ones (--tiny-models)</param>
    /// <param name="project">the project it goes into (null: none)</param>
    public static async Task<int> RunAsync(FileInfo specFile, int[]? seeds, int? epochs, IReadOnlyList<string> settings, string? name, string? connectionString, bool wait,
        TextWriter output, TextWriter errors, CancellationToken cancellation, string? artifactRoot = null, bool tinyModels = false, string? project = null)
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
        // A spec for --tiny-models may leave its model folders out: it is validated once they are filled.
        var json = await File.ReadAllTextAsync(specFile.FullName, cancellation);
        var parsed = tinyModels ? ExperimentSpecJson.Parse(json) : ExperimentSpecJson.ParseAndValidate(json);
        if (parsed.Spec is not { } spec)
        {
            foreach (var problem in parsed.Problems) await errors.WriteLineAsync($"{specFile.Name}: {problem}");
            return 1;
        }
        if (epochs is { } e) spec = spec with { Epochs = e };

        await DatabaseSchema.MigrateAsync(connectionString, cancellation);
        artifactRoot ??= ModelsVerb.ArtifactRoot(null);
        if (await CompleteAsync(spec, settings, tinyModels, artifactRoot, connectionString, errors, cancellation) is not { } completed) return 1;
        spec = completed;
        await using var services = SubmissionServices(connectionString, artifactRoot);
        var submission = services.GetRequiredService<ExperimentSubmission>();
        var result = await submission.SubmitExperimentAsync(name ?? Path.GetFileNameWithoutExtension(specFile.Name), spec,
            seeds is { Length: > 0 } ? seeds : [spec.Seed], cancellation, project: project);
        if (!result.Succeeded)
        {
            foreach (var problem in result.Problems) await errors.WriteLineAsync($"{specFile.Name}: {problem}");
            return 1;
        }
        await output.WriteLineAsync($"experiment: {result.ExperimentIds[0]}");
        await output.WriteLineAsync($"runs: {string.Join(" ", result.RunIds)}");
        if (!wait) return 0;

        var runs = await WaitUntilFinishedAsync(connectionString, result.RunIds, cancellation);
        await PrintRunsAsync(connectionString, runs, output, cancellation);
        return runs.All(r => r.Status == RunStatus.Succeeded) ? 0 : 1;
    }

    /// <summary>The --template path: the template's base spec for the corpus (epochs overridden), its axes and reference row, seeds 0..K-1.</summary>
    public static async Task<int> RunTemplateAsync(string templateName, string? corpus, int[]? seeds, int? epochs, IReadOnlyList<string> settings, string? name, string? connectionString,
        bool wait, TextWriter output, TextWriter errors, CancellationToken cancellation, string? artifactRoot = null, bool tinyModels = false, string? project = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await errors.WriteLineAsync("submit: no database: pass --database or set ConnectionStrings__EmotionLab");
            return 2;
        }
        if (GridTemplates.Find(templateName) is not { } template)
        {
            await errors.WriteLineAsync($"submit: unknown template '{templateName}'; templates:");
            foreach (var known in GridTemplates.All) await errors.WriteLineAsync($"  {known.Name}: {known.Description}");
            return 2;
        }
        if (string.IsNullOrWhiteSpace(corpus))
        {
            await errors.WriteLineAsync($"submit: --template {template.Name} needs --corpus NAME (an imported corpus)");
            return 2;
        }
        if (seeds is not [var count and > 0])
        {
            await errors.WriteLineAsync("submit: with --template, --seeds is one number K > 0: the grid's runs get seeds 0..K-1");
            return 2;
        }

        var baseSpec = template.BaseSpecFor(corpus);
        if (epochs is { } e) baseSpec = baseSpec with { Epochs = e };
        await DatabaseSchema.MigrateAsync(connectionString, cancellation);
        artifactRoot ??= ModelsVerb.ArtifactRoot(null);
        if (await CompleteAsync(baseSpec, settings, tinyModels, artifactRoot, connectionString, errors, cancellation) is not { } completed) return 1;
        baseSpec = completed;
        await using var services = SubmissionServices(connectionString, artifactRoot);
        var result = await services.GetRequiredService<ExperimentSubmission>().SubmitGridAsync(name ?? $"{template.Name} on {corpus}", baseSpec,
            template.Axes, Enumerable.Range(0, count).ToArray(), template.ReferenceVariant, cancellation, project: project);
        if (!result.Succeeded)
        {
            foreach (var problem in result.Problems) await errors.WriteLineAsync($"submit: {problem}");
            return 1;
        }
        // Printed before waiting, so a script (or a person) can open /grids/ID while it trains.
        await output.WriteLineAsync($"grid: {result.GridId}");
        await output.WriteLineAsync($"runs: {string.Join(" ", result.RunIds)}");
        await output.FlushAsync(cancellation);
        if (!wait) return 0;

        var runs = await WaitUntilFinishedAsync(connectionString, result.RunIds, cancellation);
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
        var results = await new GridResultsQuery(db).ExecuteAsync(result.GridId!.Value, cancellation)
            ?? throw new InvalidOperationException($"grid {result.GridId} vanished while its runs trained");
        await output.WriteLineAsync();
        await output.WriteAsync(GridTableExport.Write(results, reference: null, GridTableFormat.Markdown));
        // The table counts runs that did not succeed; their reasons are here.
        foreach (var run in runs.Where(r => r.Status != RunStatus.Succeeded))
            await output.WriteLineAsync($"run {run.Id} ({run.Variant}, seed {run.Seed}): {run.Status}{(run.Error is null ? "" : $" ({run.Error})")}");
        return runs.All(r => r.Status == RunStatus.Succeeded) ? 0 : 1;
    }

    private static async Task<ExperimentSpec?> CompleteAsync(ExperimentSpec spec, IReadOnlyList<string> settings, bool tinyModels, string artifactRoot,
        string connectionString, TextWriter errors, CancellationToken cancellation)
    {
        var (completed, option, problems) = await SpecCompletion.CompleteAsync(spec, settings, tinyModels, artifactRoot, connectionString, cancellation);
        foreach (var problem in problems) await errors.WriteLineAsync($"submit: {SpecCompletion.CommandLineOption(option!)}: {problem}");
        return completed;
    }

    /// <summary>
    /// A queue client: Hangfire's storage without a server, so this process only enqueues.
    /// Model folders are looked up under Worker__ArtifactRoot (or ./artifacts), as the nodes do.
    /// </summary>
    public static ServiceProvider SubmissionServices(string connectionString, string? artifactRoot = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddRunQueue(_ => new PlatformDatabase(connectionString), node: null);
        services.AddSingleton(new SubmissionResources(ModelsVerb.ArtifactRoot(artifactRoot), SubmissionResources.MachineMemoryBytes));
        services.AddSingleton<ExperimentSubmission>();
        return services.BuildServiceProvider();
    }

    private static async Task<IReadOnlyList<Run>> WaitUntilFinishedAsync(string connectionString, IReadOnlyList<long> runIds, CancellationToken cancellation)
    {
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
        var finished = new[] { RunStatus.Succeeded, RunStatus.Failed, RunStatus.Canceled };
        while (true)
        {
            var runs = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync(cancellation);
            if (runs.All(r => finished.Contains(r.Status))) return runs;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
        }
    }

    private static async Task PrintRunsAsync(string connectionString, IReadOnlyList<Run> runs, TextWriter output, CancellationToken cancellation)
    {
        await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
        foreach (var run in runs)
        {
            var test = run.BestEpoch is { } best
                ? await db.EpochMetrics.AsNoTracking().SingleOrDefaultAsync(m => m.RunId == run.Id && m.Epoch == best && m.Split == "test", cancellation)
                : null;
            var scores = test is null ? "" : FormattableString.Invariant($" best epoch {run.BestEpoch}: test WA {test.WA:F4} UA {test.UA:F4} WF1 {test.WeightedF1:F4} MF1 {test.MacroF1:F4}");
            await output.WriteLineAsync($"run {run.Id} seed {run.Seed}: {run.Status}{scores}{(run.Error is null ? "" : $" ({run.Error})")}");
        }
    }
}
