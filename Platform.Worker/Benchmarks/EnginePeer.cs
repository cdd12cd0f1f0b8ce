using System.Diagnostics;
using System.Globalization;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// One engine of a comparison in a process of its own, driven line by line over stdin/stdout:
/// tools/bench_engine.py (PyTorch eager, Debian's python3-torch) or this worker's
/// <c>bench engine-peer</c> (our engine). Both speak the same protocol ("ready", then
/// "info", "matmul N", "bcaf N", "quit"), so a benchmark can run each side alone.
/// </summary>
public sealed class EnginePeer : IDisposable
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>
    /// glibc's malloc tuned as our native layer tunes it for itself (mallopt in native/tensor_api.cpp:
    /// large blocks from the heap, never trimmed), given to the Python side as glibc's environment
    /// variables: otherwise PyTorch pays page faults on every large activation and the comparison
    /// measures allocators (measured here: PyTorch's BCAF step 2.9 s with glibc's defaults, 1.2 s with these).
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Value)> MallocSettings =
        [("MALLOC_MMAP_THRESHOLD_", "33554432"), ("MALLOC_TRIM_THRESHOLD_", "1073741824")];
    private readonly Process process;

    private EnginePeer(ProcessStartInfo start, string what)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {what}");
        var greeting = process.StandardOutput.ReadLine();
        if (greeting != "ready") throw new InvalidOperationException($"{what} did not start (said '{greeting}'); run it by hand to see why");
    }

    /// <summary>A Python script of tools/ under Debian's interpreter (the same libtorch and OpenBLAS as ours).</summary>
    public static EnginePeer PyTorch(string script, params string[] arguments)
    {
        if (!File.Exists(Interpreter)) throw new InvalidOperationException($"{Interpreter} is missing: run scripts/setup.sh (it installs python3-torch)");
        if (!File.Exists(script)) throw new FileNotFoundException($"the PyTorch side of the benchmark is missing: {script}", script);
        var start = new ProcessStartInfo(Interpreter, [script, .. arguments]);
        foreach (var (name, value) in MallocSettings) start.Environment[name] = value;
        return new EnginePeer(start, $"{Interpreter} {script}");
    }

    /// <summary>This worker's <c>bench engine-peer</c> in a child process.</summary>
    public static EnginePeer CSharp() => CSharpVerb("engine-peer");

    /// <summary>This worker's <c>bench VERB ARGUMENTS</c> (a peer loop) in a child process.</summary>
    public static EnginePeer CSharpVerb(string verb, params string[] arguments)
    {
        var assembly = typeof(EnginePeer).Assembly.Location;
        return new EnginePeer(new ProcessStartInfo("dotnet", ["exec", assembly, "bench", verb, .. arguments]), $"dotnet {assembly} bench {verb}");
    }

    /// <summary>Sends one command and returns its reply line.</summary>
    public string Ask(string command)
    {
        process.StandardInput.WriteLine(command);
        process.StandardInput.Flush();
        return process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the engine peer exited during '{command}'");
    }

    /// <summary>One entry per repetition; each entry is one figure, or several separated by '/'.</summary>
    public double[][] Measure(string command, int count) =>
        Ask($"{command} {count}").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('/').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    /// <summary>Asks the peer to quit and waits for the process to end, so nothing of it runs after.</summary>
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
