using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EmotionLab.Data.Postgres;

/// <summary>
/// A PostgreSQL server of the project's own, from Debian's server binaries: initdb into a data
/// folder on first use, started on a loopback port (the same one again across restarts while it
/// is free), with its socket inside the folder, and stopped by Dispose. PostgreSQL refuses to run
/// as root, so under root the server runs as the postgres user, which then owns the folder.
/// The platform's own server is durable (PostgreSQL's defaults: a machine crash loses no committed
/// result); throwaway servers of tests and benchmarks run with fsync off, which is faster and may
/// lose everything on a crash.
/// </summary>
public sealed class EmbeddedPostgres : IDisposable
{
    public const string Database = "emotionlab";
    public const string User = "emotionlab";
    private const string PortFile = "emotionlab.port";
    private readonly string binaries;
    private readonly bool durable;
    private bool running;

    private EmbeddedPostgres(string dataDirectory, int port, string binaries, bool durable)
    {
        DataDirectory = dataDirectory;
        Port = port;
        this.binaries = binaries;
        this.durable = durable;
    }

    public string DataDirectory { get; }
    public int Port { get; }

    public string ConnectionString => ConnectionStringFor(Port);

    /// <summary>The connection string of the server another process started on this data folder (its port file says where), or null when none did.</summary>
    public static string? RunningIn(string dataDirectory) =>
        File.Exists(Path.Combine(dataDirectory, PortFile)) && int.TryParse(File.ReadAllText(Path.Combine(dataDirectory, PortFile)).Trim(), out var port)
            ? ConnectionStringFor(port)
            : null;

    private static string ConnectionStringFor(int port) => $"Host=127.0.0.1;Port={port};Database={Database};Username={User};Pooling=true;Include Error Detail=true";

    /// <summary>Initialises the folder if needed, starts the server and creates the database if missing.</summary>
    /// <param name="durable">false only for throwaway data: the server then runs with fsync off</param>
    public static EmbeddedPostgres Start(string dataDirectory, string? binaries = null, bool durable = true)
    {
        binaries ??= ServerBinaries();
        dataDirectory = Path.GetFullPath(dataDirectory);
        var initialised = File.Exists(Path.Combine(dataDirectory, "PG_VERSION"));
        if (!initialised)
        {
            Directory.CreateDirectory(dataDirectory);
            EnsureServerUserCanReach(dataDirectory);
            GiveToServerUser(dataDirectory);
            RunTool(binaries, "initdb", ["-D", dataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--no-locale"], "initialise the data folder");
        }
        var portFile = Path.Combine(dataDirectory, PortFile);
        var port = File.Exists(portFile) && int.TryParse(File.ReadAllText(portFile), out var saved) && IsFree(saved) ? saved : FreePort();
        var server = new EmbeddedPostgres(dataDirectory, port, binaries, durable);
        server.StartServer();
        File.WriteAllText(portFile, port.ToString());
        GiveToServerUser(portFile);
        server.CreateDatabaseIfMissing();
        return server;
    }

    private void StartServer()
    {
        // A server left running by a killed process holds the folder: stop it first.
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            TryRunTool(binaries, "pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);
        var options = $"-p {Port} -k {DataDirectory} -c listen_addresses=127.0.0.1 -c max_connections=200" + (durable ? "" : " -c fsync=off");
        RunTool(binaries, "pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-o", options, "-w", "-t", "60", "start"],
            $"start PostgreSQL on 127.0.0.1:{Port} (see {Path.Combine(DataDirectory, "server.log")})");
        running = true;
    }

    private void CreateDatabaseIfMissing()
    {
        var psql = Path.Combine(binaries, "psql");
        var exists = Capture(psql, ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", User, "-d", "postgres", "-tAc", $"SELECT 1 FROM pg_database WHERE datname = '{Database}'"]);
        if (exists.Trim() != "1")
            Capture(psql, ["-h", "127.0.0.1", "-p", Port.ToString(), "-U", User, "-d", "postgres", "-c", $"CREATE DATABASE {Database}"]);
    }

    public void Dispose()
    {
        if (!running) return;
        running = false;
        TryRunTool(binaries, "pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);
    }

    /// <summary>The newest installed PostgreSQL's bin folder (pg_ctl, psql, pg_dump, pg_restore).</summary>
    public static string ServerBinaries()
    {
        var root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderByDescending(d => d).ToArray()
            : [];
        return candidates.FirstOrDefault()
               ?? throw new InvalidOperationException("PostgreSQL's server binaries are not installed (no /usr/lib/postgresql/*/bin/pg_ctl): run scripts/setup.sh, which installs Debian's postgresql package");
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static void GiveToServerUser(string path)
    {
        if (IsRoot) Capture("chown", ["-R", "postgres:postgres", path]);
    }

    // The server user must be able to reach the data folder through its parents.
    private static void EnsureServerUserCanReach(string dataDirectory)
    {
        if (!IsRoot) return;
        for (var dir = Directory.GetParent(dataDirectory); dir is not null; dir = dir.Parent)
        {
            if ((File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) != 0) continue;
            throw new InvalidOperationException($"PostgreSQL runs as the postgres user, which cannot enter {dir.FullName}: choose a data folder outside it or allow others to traverse it (chmod o+x)");
        }
    }

    private static void RunTool(string binaries, string tool, string[] arguments, string purpose)
    {
        try { Capture(Path.Combine(binaries, tool), arguments); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"could not {purpose}: {e.Message}", e); }
    }

    private static void TryRunTool(string binaries, string tool, string[] arguments)
    {
        try { Capture(Path.Combine(binaries, tool), arguments); }
        catch (InvalidOperationException) { /* nothing to stop */ }
    }

    // Runs a command (as the postgres user when we are root) and returns its output; throws with its output on failure.
    private static string Capture(string command, string[] arguments)
    {
        var asServerUser = IsRoot && command.StartsWith("/usr/lib/postgresql");
        var start = asServerUser ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", command, .. arguments]) : new ProcessStartInfo(command, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(command)} exited with {process.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}".Trim());
        return stdout.Result;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
