namespace EmotionLab.Worker.Node;

/// <summary>
/// A trainer started by a worker node reads its stdin, a pipe from the node, until it closes. It
/// closes when the node exits for any reason, kill -9 included, and then the trainer exits too:
/// the run is recovered on another node and must not have two trainers writing to it.
/// </summary>
public static class ParentWatch
{
    public const int ExitCode = 143;

    public static void ExitWhenStdinCloses()
    {
        var thread = new Thread(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            try
            {
                while (stdin.Read(buffer, 0, buffer.Length) > 0) { }
            }
            catch (IOException) { }
            Console.Error.WriteLine("the worker node that started this trainer is gone: exiting");
            Environment.Exit(ExitCode);
        }) { IsBackground = true, Name = "parent-watch" };
        thread.Start();
    }
}
