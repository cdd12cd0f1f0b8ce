using System.Diagnostics;
using EmotionLab.Worker.Grids;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>Platform.Worker as a child process, as a script runs it: its exit code, stdout and stderr.</summary>
public static class WorkerCommandLine
{
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "exec", typeof(ExportVerb).Assembly.Location }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
