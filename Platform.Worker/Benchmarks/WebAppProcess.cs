using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// The built web app (EmotionLab.Web.dll) as a child process on a free loopback port: pointed at
/// one database without an in-process worker for `bench dashboard`, or as `scripts/start.sh` runs
/// it (embedded database, in-process worker, the demo) for `bench firstrun`. Platform.Web
/// references this project, so it is started from its build output rather than referenced.
/// Dispose kills it.
/// </summary>
public sealed class WebAppProcess : IDisposable
{
    private const int OutputLines = 40;
    private readonly Process process;
    private readonly Queue<string> output = new();

    private WebAppProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Where a Release build of Platform.Web puts the app, under the repository root.</summary>
    public static string DefaultAssembly(string repositoryRoot) =>
        Path.Combine(repositoryRoot, "Platform.Web", "bin", "Release", "net10.0", "EmotionLab.Web.dll");

    /// <param name="connectionString">the database; null starts the app's embedded one under the artifact root</param>
    /// <param name="settings">more settings as environment variables (Demo__Enabled), over the defaults here (no in-process worker, warnings only)</param>
    /// <param name="onLine">told each line the app writes, as it comes</param>
    public static WebAppProcess Start(string assembly, string? connectionString, string artifactRoot,
        IReadOnlyDictionary<string, string>? settings = null, Action<string>? onLine = null)
    {
        if (!File.Exists(assembly))
            throw new FileNotFoundException($"the web app is not built: {assembly} is missing; build it first with `dotnet build Platform.Web -c Release` (or pass --web PATH)");
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        if (connectionString is not null) start.Environment["ConnectionStrings__EmotionLab"] = connectionString;
        start.Environment["Worker__InProcess"] = "false";
        start.Environment["ArtifactRoot"] = artifactRoot;
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var app = new WebAppProcess(process, address);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data, onLine);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data, onLine);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Waits until the app answers <paramref name="path"/> with 200; throws with its last output if it exits or times out.</summary>
    public async Task WaitUntilReadyAsync(HttpClient client, string path, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"the web app exited with {process.ExitCode} before it served {path}:\n{LastOutput()}");
            try
            {
                using var response = await client.GetAsync(new Uri(Address, path));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"the web app did not serve {path} within {timeout.TotalSeconds:0} s:\n{LastOutput()}");
    }

    public string LastOutput()
    {
        lock (output) return string.Join('\n', output);
    }

    private void Keep(string? line, Action<string>? onLine)
    {
        if (line is null) return;
        onLine?.Invoke(line);
        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > OutputLines) output.Dequeue();
        }
    }

    // SIGTERM first, so the app shuts down as on Ctrl+C and stops an embedded PostgreSQL it started
    // (a killed app leaves that server running); killed with its children if it has not exited in 20 s.
    public void Dispose()
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) term.WaitForExit();
            if (!process.WaitForExit(20_000))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
