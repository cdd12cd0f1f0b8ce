using System.Diagnostics;

namespace EmotionLab.Worker.Node;

/// <summary>
/// One `Platform.Worker train --run ID` child process: a native crash or a leak ends it, not the
/// node. Its output is appended to the run's log file. Its stdin is a pipe it watches
/// (--exit-with-parent), so when the node dies, even by kill -9, the trainer exits too and the
/// recovered run never has two trainers.
/// </summary>
public sealed class TrainerProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private TrainerProcess(Process process, StreamWriter log)
    {
        this.process = process;
        this.log = log;
    }

    public int Id => process.Id;
    public bool HasExited => process.HasExited;

    /// <param name="environment">variables set for the trainer beyond the node's own (<see cref="TrainerEnvironment"/>)</param>
    public static TrainerProcess Start(long runId, string device, string connectionString, WorkerNodeOptions options, IReadOnlyDictionary<string, string> environment,
        string logPath)
    {
        var assembly = typeof(TrainerProcess).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        foreach (var argument in new[] { assembly, "train", "--run", runId.ToString(), "--artifacts", Path.GetFullPath(options.ArtifactRoot), "--device", device, "--exit-with-parent" })
            start.ArgumentList.Add(argument);
        // The connection string travels in the environment, not on a command line other users can read.
        start.Environment["ConnectionStrings__EmotionLab"] = connectionString;
        start.Environment["CUDA_VISIBLE_DEVICES"] = device.StartsWith("cuda:", StringComparison.Ordinal) ? device[5..] : "";
        foreach (var (variable, value) in environment) start.Environment[variable] = value;

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Write(log, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Write(log, e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new TrainerProcess(process, log);
    }

    public void Note(string line) => Write(log, line);

    private static void Write(StreamWriter log, string line)
    {
        lock (log) log.WriteLine(line);
    }

    /// <summary>Waits up to <paramref name="timeout"/>; true when the process has exited (its output drained).</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(timer.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public int ExitCode => process.ExitCode;

    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
    }

    /// <summary>How the exit reads in a run's error: "exit code 1" or "killed by signal 9".</summary>
    public string DescribeExit() =>
        ExitCode > 128 && ExitCode < 160 ? $"killed by signal {ExitCode - 128}" : $"exit code {ExitCode}";

    public void Dispose()
    {
        Kill();
        process.WaitForExit(5000);
        process.Dispose();
        lock (log) log.Dispose();
    }
}
