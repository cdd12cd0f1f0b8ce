using System.Diagnostics;
using System.Globalization;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Postgres;
using EmotionLab.Data.Queries;
using Npgsql;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>What `bench dashboard` loads and how often it asks.</summary>
public sealed record DashboardBenchmarkOptions(int Runs, long MetricPoints, int Requests, int BaselineRuns, string? Database, string? WebAssembly)
{
    public const int WarmupRequests = 10;
    /// <summary>The baseline lab keeps the full lab's metric points per run.</summary>
    public long BaselinePoints => MetricPoints * BaselineRuns / Runs;
}

/// <summary>
/// `bench dashboard`: server time of the runs page (its first render, and the query its table then
/// runs over the circuit: the first page and a filtered, sorted page) and of a grid
/// comparison page, in a lab of --runs runs and --points metric rows, against the same lab at
/// --baseline-runs runs. Each lab is a synthetic lab (SyntheticLab) in its own database, on an
/// embedded PostgreSQL in a temp folder unless --database names a server; each database is served
/// by its own web app process (the Release build), and the two are asked alternately, so noise
/// from the shared machine falls on both. Server time is the app's Server-Timing header.
/// </summary>
public static class DashboardBenchmark
{
    private const string FilteredRunsPath = "/runs?status=Succeeded&family=bcaf";

    private sealed record Lab(string Name, string ConnectionString, SyntheticLabSummary Summary, WebAppProcess App, string Token)
    {
        public readonly List<double> Runs = [];
        public readonly List<double> RunsClient = [];
        public readonly List<double> Grid = [];
        public readonly List<double> GridClient = [];
        public readonly List<double> Table = [];
    }

    public static async Task<int> RunAsync(string repositoryRoot, DashboardBenchmarkOptions options, TextWriter output, CancellationToken cancellation)
    {
        var webAssembly = Path.GetFullPath(options.WebAssembly ?? WebAppProcess.DefaultAssembly(repositoryRoot));
        if (!File.Exists(webAssembly))
        {
            Console.Error.WriteLine($"bench dashboard: the web app is not built ({webAssembly} is missing): run `dotnet build Platform.Web -c Release` first, or pass --web PATH");
            return 2;
        }
        if (options.BaselineRuns >= options.Runs) throw new ArgumentOutOfRangeException(nameof(options), "--baseline-runs must be below --runs");

        var folder = Directory.CreateTempSubdirectory("emotionlab-bench-dashboard-").FullName;
        // The embedded server runs as the postgres user, which must be able to enter the folder.
        File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.OtherExecute);
        EmbeddedPostgres? embedded = null;
        var labs = new List<Lab>();
        var databases = new List<string>();
        var invariant = CultureInfo.InvariantCulture;
        try
        {
            embedded = options.Database is null ? EmbeddedPostgres.Start(Path.Combine(folder, "postgres"), durable: false) : null;
            var server = options.Database ?? embedded!.ConnectionString;
            var baselineSuffix = $"baseline_{options.BaselineRuns}";
            foreach (var (name, runs, points) in new[] { (baselineSuffix, options.BaselineRuns, options.BaselinePoints), ("full", options.Runs, options.MetricPoints) })
            {
                var database = $"emotionlab_bench_{name}";
                var connection = await CreateDatabaseAsync(server, database, cancellation);
                databases.Add(database);
                await DatabaseSchema.MigrateAsync(connection, cancellation);
                var summary = await SyntheticLab.WriteAsync(connection, runs, points, seed: 1, cancellation);
                // Every page wants an account: the requests carry a viewer's token.
                var token = await Accounts.NodeAccounts.CreateTokenUserAsync(connection, "bench-viewer", Data.Accounts.LabRoles.Viewer, cancellation);
                var app = WebAppProcess.Start(webAssembly, connection, Path.Combine(folder, "artifacts-" + name));
                labs.Add(new Lab(name, connection, summary, app, token));
            }

            foreach (var lab in labs)
            {
                var suffix = lab.Name == "full" ? "" : "." + lab.Name;
                output.WriteLine($"dashboard_runs{suffix}: {lab.Summary.Runs}");
                output.WriteLine($"dashboard_grids{suffix}: {lab.Summary.GridIds.Count}");
                output.WriteLine($"dashboard_metric_points{suffix}: {lab.Summary.MetricPoints}");
                output.WriteLine($"dashboard_step_losses{suffix}: {lab.Summary.StepLosses}");
                output.WriteLine($"dashboard_epoch_metrics{suffix}: {lab.Summary.EpochMetrics}");
                output.WriteLine($"dashboard_confusion_matrices{suffix}: {lab.Summary.ConfusionMatrices}");
                output.WriteLine(string.Create(invariant, $"dashboard_seed_s{suffix}: {lab.Summary.Elapsed.TotalSeconds:F1} s"));
            }

            // No redirects: a request the app refuses fails the benchmark instead of timing the sign-in page.
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
            foreach (var lab in labs) await lab.App.WaitUntilReadyAsync(client, "/account/signin", TimeSpan.FromSeconds(120));

            var serverTimed = true;
            async Task MeasureAsync(Lab lab, int request, bool record)
            {
                var grid = lab.Summary.GridIds[request % lab.Summary.GridIds.Count];
                foreach (var (path, samples, clientSamples) in new[]
                         {
                             ("/runs", lab.Runs, lab.RunsClient), (FilteredRunsPath, lab.Runs, lab.RunsClient), ($"/grids/{grid}", lab.Grid, lab.GridClient),
                         })
                {
                    var (server, clientMs) = await TimeAsync(client, lab, path, cancellation);
                    if (!record) continue;
                    serverTimed &= server is not null;
                    samples.Add(server ?? clientMs);
                    clientSamples.Add(clientMs);
                }
                // The runs table's rows reach the page over its circuit, after the first render: the
                // query behind them (the first page newest first, then a filtered page sorted by seed)
                // is timed here as the circuit runs it.
                foreach (var (filter, sort, descending) in new[]
                         {
                             (new RunListFilter(), RunSort.Id, true),
                             (new RunListFilter { Status = RunStatus.Succeeded, Family = "bcaf" }, RunSort.Seed, false),
                         })
                {
                    await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(lab.ConnectionString));
                    var watch = Stopwatch.StartNew();
                    await new RunListQuery(db).TableAsync(filter, sort, descending, 0, RunListFilter.DefaultLimit, cancellation);
                    if (record) lab.Table.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            for (var i = 0; i < DashboardBenchmarkOptions.WarmupRequests; i++)
                foreach (var lab in labs) await MeasureAsync(lab, i, record: false);
            for (var i = 0; i < options.Requests; i++)
                // Alternate which lab goes first, so neither always follows the other.
                foreach (var lab in i % 2 == 0 ? labs : Enumerable.Reverse(labs))
                    await MeasureAsync(lab, i, record: true);

            output.WriteLine($"dashboard_requests: {options.Requests}");
            output.WriteLine($"dashboard_timing: {(serverTimed ? "server (Server-Timing header)" : "client (no Server-Timing header)")}");
            foreach (var lab in labs.OrderBy(l => l.Name == "full" ? 0 : 1))
            {
                var suffix = lab.Name == "full" ? "" : "." + lab.Name;
                foreach (var (figure, samples) in new[] { ("runs", lab.Runs), ("runs_table", lab.Table), ("grid", lab.Grid), ("runs_client", lab.RunsClient), ("grid_client", lab.GridClient) })
                foreach (var (label, p) in new[] { ("p50", 50.0), ("p95", 95.0) })
                    output.WriteLine(string.Create(invariant, $"dashboard_{figure}_ms.{label}{suffix}: {Statistics.Percentile(samples, p):F1} ms"));
            }
            var (full, baseline) = (labs.Single(l => l.Name == "full"), labs.Single(l => l.Name != "full"));
            output.WriteLine(string.Create(invariant, $"dashboard_runs_ms.p95.ratio_to_{baselineSuffix}: {Statistics.Percentile(full.Runs, 95) / Statistics.Percentile(baseline.Runs, 95):F2}"));
            output.WriteLine(string.Create(invariant, $"dashboard_grid_ms.p95.ratio_to_{baselineSuffix}: {Statistics.Percentile(full.Grid, 95) / Statistics.Percentile(baseline.Grid, 95):F2}"));
            return 0;
        }
        finally
        {
            foreach (var lab in labs) lab.App.Dispose();
            NpgsqlConnection.ClearAllPools();
            if (options.Database is { } server)
                foreach (var database in databases) await DropDatabaseAsync(server, database);
            embedded?.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One GET: the app's Server-Timing duration (null without the header) and the client's round trip, in ms.</summary>
    private static async Task<(double? Server, double Client)> TimeAsync(HttpClient client, Lab lab, string path, CancellationToken cancellation)
    {
        var app = lab.App;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app.Address, path));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", lab.Token);
        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, cancellation);
        await response.Content.ReadAsByteArrayAsync(cancellation);
        var clientMs = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}; the web app said:\n{app.LastOutput()}");
        return (ServerMilliseconds(response), clientMs);
    }

    // "app;dur=12.3" (Platform.Web's ServerTiming); other metrics in the header are ignored.
    private static double? ServerMilliseconds(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Server-Timing", out var values)) return null;
        foreach (var metric in values.SelectMany(v => v.Split(',')))
        {
            var parts = metric.Split(';', StringSplitOptions.TrimEntries);
            if (parts[0] != "app") continue;
            foreach (var part in parts.Skip(1))
                if (part.StartsWith("dur=", StringComparison.Ordinal) && double.TryParse(part[4..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                    return ms;
        }
        return null;
    }

    /// <summary>A fresh database of this name on the server (an older one of the same name is dropped); returns its connection string.</summary>
    private static async Task<string> CreateDatabaseAsync(string serverConnection, string database, CancellationToken cancellation)
    {
        await using (var connection = new NpgsqlConnection(serverConnection))
        {
            await connection.OpenAsync(cancellation);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(cancellation);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync(cancellation);
        }
        return new NpgsqlConnectionStringBuilder(serverConnection) { Database = database }.ConnectionString;
    }

    private static async Task DropDatabaseAsync(string serverConnection, string database)
    {
        await using var connection = new NpgsqlConnection(serverConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
