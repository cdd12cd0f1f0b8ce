using System.Diagnostics;
using System.Text;

namespace EmotionLab.Worker.Node;

/// <summary>
/// A `Platform.Worker serve` node started as a child process of this one, as a cluster member on
/// another machine would run: for the queue benchmark and the queue tests. Its output is kept.
/// </summary>
public sealed class WorkerNodeProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    public WorkerNodeProcess(string name, string connectionString, string artifacts, int slots = 1)
    {
        Name = name;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", typeof(WorkerNodeProcess).Assembly.Location, "serve",
                     "--database", connectionString, "--artifacts", artifacts, "--slots", slots.ToString(), "--name", name })
            start.ArgumentList.Add(argument);
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int ProcessId => process.Id;
    public bool HasExited => process.HasExited;

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>SIGTERM, as systemd or `docker stop` stop a node: it hands its runs back to the queue and exits.</summary>
    public int Stop(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) kill.WaitForExit();
        if (!process.WaitForExit(timeout)) throw new TimeoutException($"node {Name} did not stop within {timeout.TotalSeconds:0} s of SIGTERM");
        return process.ExitCode;
    }

    /// <summary>kill -9 of the node alone: its trainers notice their stdin closing and exit on their own.</summary>
    public void KillNodeOnly()
    {
        process.Kill(entireProcessTree: false);
        process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
        process.Dispose();
    }
}
