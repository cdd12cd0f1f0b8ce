using System.CommandLine;
using EmotionLab.Models.Corpora.EmoSynth;
using EmotionLab.Worker.Benchmarks;
using EmotionLab.Worker.Corpora;
using EmotionLab.Worker.Database;
using EmotionLab.Worker.Grids;
using EmotionLab.Worker.Knowledge;
using EmotionLab.Worker.Pretrained;
using EmotionLab.Worker.Node;
using EmotionLab.Worker.Queue;
using EmotionLab.Worker.Training;

namespace EmotionLab.Worker;

/// <summary>The worker's command line: a cluster node, a run's trainer, corpora, submissions and benchmarks.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        OpenBlasCoreType.ApplyToThisProcess(); // before any verb loads libtorch
        var root = new RootCommand("EmotionLab worker: trains runs and measures the engine.");
        root.Subcommands.Add(BenchCommand());
        root.Subcommands.Add(CorpusCommand());
        root.Subcommands.Add(ConceptNetCommand.Create());
        root.Subcommands.Add(TrainCommand());
        root.Subcommands.Add(ServeCommand());
        root.Subcommands.Add(SubmitVerb.Command());
        root.Subcommands.Add(ExportVerb.Command());
        root.Subcommands.Add(StatsVerb.Command());
        root.Subcommands.Add(ModelsVerb.Command());
        root.Subcommands.Add(DatabaseVerb.Command());
        root.Subcommands.Add(Accounts.UsersVerb.Command());
        return root.Parse(args).Invoke();
    }

    private static Command BenchCommand()
    {
        var bench = new Command("bench", "Benchmarks that print one figure per line (shared/BENCHMARKS.md).");

        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds of both engines.", DefaultValueFactory = _ => 5 };
        var steps = new Option<int>("--steps-per-round") { Description = "BCAF steps per engine per round.", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup") { Description = "BCAF steps per turn before measuring (a fresh process pays first-touch costs).", DefaultValueFactory = _ => 3 };
        var engine = new Command("engine", "matmul GFLOP/s and BCAF ms/step (fp32 and bf16): our engine vs PyTorch eager, each side alone in its own process, in turns.") { rounds, steps, warmup };
        engine.SetAction(result => EngineBenchmark.Run(RepositoryRoot(), result.GetValue(rounds), result.GetValue(steps), result.GetValue(warmup), Console.Out));
        bench.Subcommands.Add(engine);

        var enginePeer = new Command("engine-peer", "Our engine's side of `bench engine`, driven over stdin/stdout (bench_engine.py's protocol).") { Hidden = true };
        enginePeer.SetAction(_ => EnginePeerLoop.Run(Console.In, Console.Out));
        bench.Subcommands.Add(enginePeer);

        var encoderRounds = new Option<int>("--rounds") { Description = "Rounds of the four sides (ours and torchaudio's, fp32 and bf16).", DefaultValueFactory = _ => 3 };
        var forwards = new Option<int>("--forwards-per-round") { Description = "HuBERT forwards per side per round.", DefaultValueFactory = _ => 3 };
        var encoders = new Command("encoders", "A base-size HuBERT forward over 4 x 4 s of audio: ours (HF folder) vs torchaudio's HuBERT with the same weights, fp32 and bf16, each side alone in its own process.")
            { encoderRounds, forwards };
        encoders.SetAction(result => EncodersBenchmark.Run(RepositoryRoot(), result.GetValue(encoderRounds), result.GetValue(forwards), batch: 4, seconds: 4, Console.Out));
        bench.Subcommands.Add(encoders);

        var peerFolder = new Argument<string>("FOLDER");
        var peerBatch = new Argument<int>("BATCH");
        var peerSeconds = new Argument<double>("SECONDS");
        var encodersPeer = new Command("encoders-peer", "Our side of `bench encoders`, driven over stdin/stdout (bench_encoders.py's protocol).") { peerFolder, peerBatch, peerSeconds };
        encodersPeer.Hidden = true;
        encodersPeer.SetAction(result => EncoderPeerLoop.Run(result.GetValue(peerFolder)!, result.GetValue(peerBatch), result.GetValue(peerSeconds), Console.In, Console.Out));
        bench.Subcommands.Add(encodersPeer);

        var memorySteps = new Option<int>("--steps") { Description = "BCAF training steps.", DefaultValueFactory = _ => 1000 };
        var memory = new Command("memory", "Resident memory over BCAF training steps: first 100 vs last 100.") { memorySteps };
        memory.SetAction(result => MemoryBenchmark.Run(result.GetValue(memorySteps), Console.Out));
        bench.Subcommands.Add(memory);

        var featureRounds = new Option<int>("--rounds") { Description = "Alternating rounds of both sides.", DefaultValueFactory = _ => 5 };
        var repetitions = new Option<int>("--repetitions") { Description = "Passes over all files per side per round.", DefaultValueFactory = _ => 3 };
        var seconds = new Option<double>("--seconds") { Description = "Total audio generated, in seconds (six files).", DefaultValueFactory = _ => 60 };
        var features = new Command("features", "16 kHz wav -> 80-bin log-mel on one core: ours vs torchaudio, alternating.") { featureRounds, repetitions, seconds };
        features.SetAction(result => FeaturesBenchmark.Run(RepositoryRoot(), result.GetValue(featureRounds), result.GetValue(repetitions), result.GetValue(seconds), Console.Out));
        bench.Subcommands.Add(features);

        var queueRuns = new Option<int>("--runs") { Description = "Tiny runs submitted at once.", DefaultValueFactory = _ => 200 };
        var queueDialogues = new Option<int>("--dialogues") { Description = "EmoSynth dialogues the runs train on.", DefaultValueFactory = _ => 20 };
        var queue = new Command("queue", "Dispatch latency and recovery time of the Hangfire queue: tiny runs on two worker nodes of one slot each.") { queueRuns, queueDialogues };
        queue.SetAction((result, cancellation) => QueueBenchmark.RunAsync(result.GetValue(queueRuns), result.GetValue(queueDialogues), Console.Out, cancellation));
        bench.Subcommands.Add(queue);

        var labRuns = new Option<int>("--runs") { Description = "Runs in the measured lab.", DefaultValueFactory = _ => 10_000 };
        var points = new Option<long>("--points") { Description = "Metric rows in the measured lab (step losses, epoch scores, confusion matrices).", DefaultValueFactory = _ => 5_000_000 };
        var requests = new Option<int>("--requests") { Description = "Measured requests per page and lab, after warm-up.", DefaultValueFactory = _ => 50 };
        var baselineRuns = new Option<int>("--baseline-runs") { Description = "Runs in the baseline lab (same metric rows per run).", DefaultValueFactory = _ => 100 };
        var benchDatabase = new Option<string?>("--database") { Description = "A PostgreSQL server to use (its user must create databases) instead of an embedded one in a temp folder." };
        var web = new Option<string?>("--web") { Description = "The built web app (default: Platform.Web/bin/Release/net10.0/EmotionLab.Web.dll)." };
        var dashboard = new Command("dashboard", "Server time of the runs list and a grid page: a large synthetic lab vs a 100-run one, alternating.")
            { labRuns, points, requests, baselineRuns, benchDatabase, web };
        dashboard.SetAction((result, cancellation) => DashboardBenchmark.RunAsync(RepositoryRoot(), new DashboardBenchmarkOptions(
            result.GetValue(labRuns), result.GetValue(points), result.GetValue(requests), result.GetValue(baselineRuns), result.GetValue(benchDatabase), result.GetValue(web)),
            Console.Out, cancellation));
        bench.Subcommands.Add(dashboard);

        var figureRenders = new Option<int>("--renders") { Description = "Timed renders of each figure.", DefaultValueFactory = _ => 30 };
        var figures = new Command("figures", "Milliseconds to draw the pages' figures: a 5,000-step loss curve (SVG, 300-dpi PNG), a 7-class confusion matrix, 10 variants' bars.") { figureRenders };
        figures.SetAction(result => FiguresBenchmark.Run(result.GetValue(figureRenders), Console.Out));
        bench.Subcommands.Add(figures);

        var demoDialogues = new Option<int>("--dialogues") { Description = "EmoSynth's dialogues in the demo (the demo's default).", DefaultValueFactory = _ => 200 };
        var firstRunWeb = new Option<string?>("--web") { Description = "The built web app (default: Platform.Web/bin/Release/net10.0/EmotionLab.Web.dll)." };
        var firstRun = new Command("firstrun", "A newcomer's wait: the web app with the demo from an empty artifact folder, seconds until EmoSynth is spoken, imported, the first run succeeded and the demo grid finished.")
            { demoDialogues, firstRunWeb };
        firstRun.SetAction((result, cancellation) => FirstRunBenchmark.RunAsync(RepositoryRoot(), result.GetValue(firstRunWeb), result.GetValue(demoDialogues), Console.Out, cancellation));
        bench.Subcommands.Add(firstRun);
        return bench;
    }

    private static Command TrainCommand()
    {
        var run = new Option<long>("--run") { Description = "The id of the run to train.", Required = true };
        var database = new Option<string?>("--database") { Description = "PostgreSQL connection string (default: the ConnectionStrings__EmotionLab environment variable)." };
        var artifacts = new Option<string>("--artifacts") { Description = "Artifact root: corpora, features, checkpoints.", DefaultValueFactory = _ => "artifacts" };
        var device = new Option<string>("--device") { Description = "cpu, or the CUDA device the node gave this slot (cuda:N).", DefaultValueFactory = _ => "cpu" };
        var exitWithParent = new Option<bool>("--exit-with-parent") { Description = "Exit when stdin closes: the worker node that started this trainer died." };
        var train = new Command("train", "Train one run stored in the database and record its metrics there (a worker's child process).") { run, database, artifacts, device, exitWithParent };
        train.SetAction(async (result, cancellation) =>
        {
            if (result.GetValue(exitWithParent)) ParentWatch.ExitWhenStdinCloses();
            var connection = result.GetValue(database) ?? Environment.GetEnvironmentVariable("ConnectionStrings__EmotionLab");
            if (string.IsNullOrWhiteSpace(connection))
            {
                Console.Error.WriteLine("train: no database: pass --database or set ConnectionStrings__EmotionLab");
                return 2;
            }
            var status = await RunTrainer.RunAsync(connection, result.GetValue(run), Path.GetFullPath(result.GetValue(artifacts)!), Console.Out, result.GetValue(device)!, cancellation);
            return status == Data.Entities.RunStatus.Failed ? 1 : 0;
        });
        return train;
    }

    private static Command ServeCommand()
    {
        var database = new Option<string?>("--database") { Description = "PostgreSQL connection string (default: ConnectionStrings__EmotionLab)." };
        var artifacts = new Option<string?>("--artifacts") { Description = "Artifact root shared by all nodes (default: Worker__ArtifactRoot or ./artifacts)." };
        var slots = new Option<int?>("--slots") { Description = "Runs trained at once (default: Worker__Slots, or one per device)." };
        var devices = new Option<string[]?>("--devices") { Description = "cpu or cuda:N, repeatable (default: Worker__Devices, or cpu).", AllowMultipleArgumentsPerToken = true };
        var name = new Option<string?>("--name") { Description = "Node name, unique in the cluster (default: host name and process id)." };
        var queues = new Option<string[]?>("--queues")
        {
            Description = "Queues to take runs from: gpu, cpu, shared (default: Worker__Queues, or gpu or cpu by the devices, and shared).",
            AllowMultipleArgumentsPerToken = true,
        };
        var serve = new Command("serve", "Run a worker node: a Hangfire server that takes runs off its queues and trains each in a child process.") { database, artifacts, slots, devices, name, queues };
        serve.SetAction((result, cancellation) => WorkerNodeHost.RunAsync(result.GetValue(database), options =>
        {
            if (result.GetValue(artifacts) is { } a) options.ArtifactRoot = a;
            if (result.GetValue(slots) is { } s) options.Slots = s;
            if (result.GetValue(devices) is { Length: > 0 } d) options.Devices = d;
            if (result.GetValue(queues) is { Length: > 0 } q) options.Queues = q;
            if (result.GetValue(name) is { } n) options.Name = n;
        }, cancellation));
        return serve;
    }

    private static Command CorpusCommand()
    {
        var corpus = new Command("corpus", "Corpora: import MELD or IEMOCAP into manifests, generate EmoSynth (shared/CORPORA.md).");
        var format = new Option<string>("--format") { Description = "Corpus layout: meld, iemocap, or emosynth (MELD's layout).", Required = true };
        format.AcceptOnlyFromAmong(CorpusImport.Formats);
        var path = new Option<string>("--path") { Description = "The corpus folder (MELD.Raw or IEMOCAP_full_release).", Required = true };
        var importOutput = new Option<string>("--out") { Description = "Artifact folder for extracted wavs and the JSONL manifest (the trainer imports into ARTIFACTS/corpora/NAME: use that to share its audio cache).", Required = true };
        var database = new Option<string?>("--database") { Description = "Also store the corpus in this PostgreSQL (default: ConnectionStrings__EmotionLab when --name is given)." };
        var name = new Option<string?>("--name") { Description = "Store the corpus in the database under this name (default: the format's name when --database is given)." };
        var replace = new Option<bool>("--replace") { Description = "Replace a stored corpus of the same name, keeping its id (refused while queued or running runs use it)." };
        var import = new Command("import", "Validates a corpus, extracts its audio once and writes its manifest; lists every problem, exit 1 on failure. With --database or --name it is also stored in the database, all or nothing.")
            { format, path, importOutput, database, name, replace };
        import.SetAction(async (result, cancellation) =>
        {
            var (f, p, o) = (result.GetValue(format)!, result.GetValue(path)!, result.GetValue(importOutput)!);
            var connection = result.GetValue(database);
            if (connection is null && result.GetValue(name) is not null) connection = Environment.GetEnvironmentVariable("ConnectionStrings__EmotionLab");
            if (connection is null && result.GetValue(name) is null && !result.GetValue(replace)) return CorpusImport.Run(f, p, o, Console.Out, Console.Error);
            if (string.IsNullOrWhiteSpace(connection))
            {
                Console.Error.WriteLine("corpus import: no database to store the corpus in: pass --database or set ConnectionStrings__EmotionLab");
                return 2;
            }
            return await CorpusImport.RegisterAsync(f, p, o, result.GetValue(name), result.GetValue(replace), connection, Console.Out, Console.Error, cancellation);
        });
        corpus.Subcommands.Add(import);

        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the corpus to (MELD's layout).", Required = true };
        var dialogues = new Option<int>("--dialogues") { Description = "Number of dialogues.", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed writes the same bytes.", DefaultValueFactory = _ => 1 };
        var synth = new Command("synth", "Write EmoSynth, the built-in spoken corpus, in MELD's layout (espeak-ng voices).") { output, dialogues, seed };
        synth.SetAction(async (result, cancellation) =>
        {
            var summary = await EmoSynthGenerator.GenerateAsync(result.GetValue(output)!.FullName, new EmoSynthOptions(result.GetValue(dialogues), result.GetValue(seed)), cancellation);
            Console.WriteLine($"dialogues: {summary.Dialogues}");
            Console.WriteLine($"utterances: {summary.Utterances} ({string.Join(", ", summary.Splits.Select(kv => $"{kv.Key} {kv.Value}"))})");
            Console.WriteLine($"emotions: {string.Join(", ", summary.Emotions.Select(kv => $"{kv.Key} {kv.Value}"))}");
            Console.WriteLine(FormattableString.Invariant($"seconds: {summary.Elapsed.TotalSeconds:F1}"));
            return 0;
        });
        corpus.Subcommands.Add(synth);
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
