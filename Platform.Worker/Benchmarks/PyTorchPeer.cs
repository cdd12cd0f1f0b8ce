using System.Diagnostics;
using System.Globalization;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// tools/bench_engine.py running in Debian's python3 beside us: the PyTorch eager side of a
/// comparison, driven line by line so both engines alternate within one run.
/// </summary>
public sealed class PyTorchPeer : IDisposable
{
    public const string Interpreter = "/usr/bin/python3";
    private readonly Process process;

    public PyTorchPeer(string script)
    {
        if (!File.Exists(Interpreter)) throw new InvalidOperationException($"{Interpreter} is missing: run scripts/setup.sh (it installs python3-torch)");
        if (!File.Exists(script)) throw new FileNotFoundException($"the PyTorch side of the benchmark is missing: {script}", script);
        var start = new ProcessStartInfo(Interpreter, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Interpreter} {script}");
        var greeting = process.StandardOutput.ReadLine();
        if (greeting != "ready") throw new InvalidOperationException($"{script} did not start (said '{greeting}'); run it by hand to see why");
    }

    /// <summary>Sends one command and returns its reply line.</summary>
    public string Ask(string command)
    {
        process.StandardInput.WriteLine(command);
        process.StandardInput.Flush();
        return process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the PyTorch peer exited during '{command}'");
    }

    /// <summary>One entry per repetition; each entry is one figure, or several separated by '/'.</summary>
    public double[][] Measure(string command, int count) =>
        Ask($"{command} {count}").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('/').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.StandardInput.WriteLine("quit");
            if (!process.WaitForExit(10_000)) process.Kill();
        }
        process.Dispose();
    }
}
