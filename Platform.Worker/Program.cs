using System.CommandLine;
using EmotionLab.Worker.Benchmarks;
using EmotionLab.Worker.Corpora;

namespace EmotionLab.Worker;

/// <summary>The worker's command line. The platform issue adds serve, train, corpus and submit.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("EmotionLab worker: trains runs and measures the engine.");
        root.Subcommands.Add(BenchCommand());
        root.Subcommands.Add(CorpusCommand());
        return root.Parse(args).Invoke();
    }

    private static Command BenchCommand()
    {
        var bench = new Command("bench", "Benchmarks that print one figure per line (shared/BENCHMARKS.md).");

        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds of both engines.", DefaultValueFactory = _ => 5 };
        var steps = new Option<int>("--steps-per-round") { Description = "BCAF steps per engine per round.", DefaultValueFactory = _ => 3 };
        var engine = new Command("engine", "matmul GFLOP/s and BCAF ms/step: our engine vs PyTorch eager, alternating.") { rounds, steps };
        engine.SetAction(result => EngineBenchmark.Run(RepositoryRoot(), result.GetValue(rounds), result.GetValue(steps), Console.Out));
        bench.Subcommands.Add(engine);

        var memorySteps = new Option<int>("--steps") { Description = "BCAF training steps.", DefaultValueFactory = _ => 1000 };
        var memory = new Command("memory", "Resident memory over BCAF training steps: first 100 vs last 100.") { memorySteps };
        memory.SetAction(result => MemoryBenchmark.Run(result.GetValue(memorySteps), Console.Out));
        bench.Subcommands.Add(memory);
        return bench;
    }

    private static Command CorpusCommand()
    {
        var corpus = new Command("corpus", "Corpus manifests, label sets and folds (shared/CORPORA.md).");
        var format = new Option<string>("--format") { Description = "Corpus layout: meld or iemocap.", Required = true };
        format.AcceptOnlyFromAmong(CorpusImport.Formats);
        var path = new Option<string>("--path") { Description = "The corpus folder (MELD.Raw or IEMOCAP_full_release).", Required = true };
        var output = new Option<string>("--out") { Description = "Artifact folder for extracted wavs and the JSONL manifest.", Required = true };
        var import = new Command("import", "Validates a corpus, extracts its audio once and writes its manifest; lists every problem, exit 1 on failure.") { format, path, output };
        import.SetAction(result => CorpusImport.Run(result.GetValue(format)!, result.GetValue(path)!, result.GetValue(output)!, Console.Out, Console.Error));
        corpus.Subcommands.Add(import);
        return corpus;
    }

    /// <summary>The checkout this binary was built from (where tools/ lives), found upward from the binary or the working folder.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EmotionLab.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the EmotionLab checkout (EmotionLab.sln) above the binary or the working folder");
    }
}
