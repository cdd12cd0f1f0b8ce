using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// `bench firstrun`: what a newcomer waits for after `scripts/start.sh` has built the platform.
/// The built web app starts as that script starts it (embedded PostgreSQL, in-process worker, the
/// demo) on an empty artifact folder, and each figure is seconds from the process start: EmoSynth
/// spoken (the demo's log line), imported (its log line), the first demo run succeeded and the
/// whole demo grid finished (both read from the JSON API twice a second).
/// </summary>
public static class FirstRunBenchmark
{
    public static async Task<int> RunAsync(string repositoryRoot, string? web, int dialogues, TextWriter output, CancellationToken cancellation)
    {
        var assembly = web ?? WebAppProcess.DefaultAssembly(repositoryRoot);
        // The embedded server runs as the postgres user, which must be able to enter the folder.
        var artifacts = Directory.CreateTempSubdirectory("emotionlab-firstrun-").FullName;
        File.SetUnixFileMode(artifacts, File.GetUnixFileMode(artifacts) | UnixFileMode.OtherExecute);
        var clock = Stopwatch.StartNew();
        var marks = new ConcurrentDictionary<string, double>(); // written from the app's output thread too
        void Mark(string name) => marks.TryAdd(name, clock.Elapsed.TotalSeconds);
        try
        {
            using var app = WebAppProcess.Start(assembly, connectionString: null, artifacts, new Dictionary<string, string>
            {
                ["Worker__InProcess"] = "true",
                ["Demo__Enabled"] = "true",
                ["Demo__Dialogues"] = dialogues.ToString(CultureInfo.InvariantCulture),
                ["Logging__LogLevel__EmotionLab.Web.Startup.DemoSetup"] = "Information",
            }, line =>
            {
                // DemoSetup's lines: "Demo: N utterances in S s; importing", then "Demo: corpus emosynth imported".
                if (line.Contains("utterances in", StringComparison.Ordinal) && line.Contains("importing", StringComparison.Ordinal)) Mark("corpus");
                if (line.Contains("Demo: corpus", StringComparison.Ordinal) && line.Contains("imported", StringComparison.Ordinal)) Mark("import");
            });
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            await app.WaitUntilReadyAsync(client, "/account/signin", TimeSpan.FromMinutes(2));
            Mark("ready");
            // The API wants an account: a viewer's token, made in the app's embedded database.
            var database = Data.Postgres.EmbeddedPostgres.RunningIn(Path.Combine(artifacts, "postgres"))
                           ?? throw new InvalidOperationException($"the web app started no embedded PostgreSQL in {Path.Combine(artifacts, "postgres")}");
            var token = await Accounts.NodeAccounts.CreateTokenUserAsync(database, "firstrun-viewer", Data.Accounts.LabRoles.Viewer, cancellation);
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

            var deadline = TimeSpan.FromMinutes(60);
            while (!marks.ContainsKey("grid"))
            {
                if (clock.Elapsed > deadline) throw new TimeoutException($"the demo grid did not finish within {deadline.TotalMinutes:0} minutes:\n{app.LastOutput()}");
                cancellation.ThrowIfCancellationRequested();
                var page = await client.GetFromJsonAsync<JsonElement>(new Uri(app.Address, "/api/runs?limit=500"), cancellation);
                var statuses = page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
                if (statuses.Contains("Succeeded")) Mark("first_run");
                if (statuses.Count > 0 && statuses.All(s => s is "Succeeded" or "Failed" or "Canceled"))
                {
                    if (!statuses.All(s => s == "Succeeded")) await output.WriteLineAsync($"# not every demo run succeeded: {string.Join(", ", statuses)}");
                    Mark("grid");
                }
                await Task.Delay(500, cancellation);
            }
        }
        finally
        {
            try { Directory.Delete(artifacts, recursive: true); }
            catch (IOException) { } // the embedded server's files may still be closing
            catch (UnauthorizedAccessException) { }
        }

        await output.WriteLineAsync($"# bench firstrun: the demo ({dialogues} dialogues) from an empty artifact folder, {Environment.ProcessorCount} cores; seconds from the web app's start");
        await output.WriteLineAsync($"# app answering after {marks["ready"]:F1} s");
        foreach (var (name, key) in new[] { ("firstrun_corpus_s", "corpus"), ("firstrun_import_s", "import"), ("firstrun_first_run_s", "first_run"), ("firstrun_grid_s", "grid") })
            await output.WriteLineAsync(marks.TryGetValue(key, out var seconds) ? $"{name} {seconds:F1}" : $"{name} (not seen)");
        return 0;
    }
}
