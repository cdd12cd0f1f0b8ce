namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// The serving side of <see cref="EnginePeer"/>'s line protocol: say "ready", then answer each
/// command line with one line until "quit" or the end of input.
/// </summary>
public static class PeerProtocol
{
    public static int Serve(TextReader input, TextWriter output, Func<string[], string> answer)
    {
        output.WriteLine("ready");
        output.Flush();
        while (input.ReadLine() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || parts[0] == "quit") break;
            output.WriteLine(answer(parts));
            output.Flush();
        }
        return 0;
    }
}
