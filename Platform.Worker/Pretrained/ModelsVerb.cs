using System.CommandLine;
using System.Globalization;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Torch;

namespace EmotionLab.Worker.Pretrained;

/// <summary>
/// <c>models inspect DIR</c>, <c>models list</c> and <c>models tiny</c>: the lab's pretrained
/// folders under ARTIFACTS/models/ (Hugging Face layout). inspect exits 1 and lists every problem
/// of a folder that cannot be used; tiny writes a small random-weight folder of an architecture.
/// </summary>
public static class ModelsVerb
{
    public static Command Command()
    {
        var models = new Command("models", "Pretrained model folders (Hugging Face layout: config.json, safetensors, tokenizer files) under the artifact root's models/.");

        var folder = new Argument<string>("DIR") { Description = "A model folder: absolute, relative to the current folder, or a name under ARTIFACTS/models/." };
        var artifacts = new Option<string?>("--artifacts") { HelpName = "DIR", Description = "Artifact root (default: Worker__ArtifactRoot or ./artifacts)." };
        var inspect = new Command("inspect", "Architecture, parameters, dtype, layers, hidden size, tokenizer kind and vocabulary, or every problem with the folder (exit 1).") { folder, artifacts };
        inspect.SetAction(result => Inspect(Resolve(result.GetValue(folder)!, result.GetValue(artifacts)), result.InvocationConfiguration.Output));
        models.Subcommands.Add(inspect);

        var listArtifacts = new Option<string?>("--artifacts") { HelpName = "DIR", Description = "Artifact root (default: Worker__ArtifactRoot or ./artifacts)." };
        var list = new Command("list", "The model folders under ARTIFACTS/models/, one line each.") { listArtifacts };
        list.SetAction(result => List(ArtifactRoot(result.GetValue(listArtifacts)), result.InvocationConfiguration.Output));
        models.Subcommands.Add(list);

        var architecture = new Option<string>("--architecture") { Required = true, Description = $"One of {string.Join(", ", TinyModelWriter.Architectures)}." };
        var output = new Option<string>("--out") { Required = true, HelpName = "DIR", Description = "The folder to write." };
        var corpus = new Option<string?>("--corpus") { HelpName = "DIR", Description = "A corpus folder in MELD's layout (MELD, EmoSynth): the tokenizer covers its utterances' words." };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the random weights." };
        var tiny = new Command("tiny", "Write a small random-weight folder of an architecture in HF's layout (with a tokenizer covering the corpus' and the label words for text models), to smoke-test a grid on CPU.")
            { architecture, output, corpus, seed };
        tiny.SetAction(result => Tiny(result.GetValue(architecture)!, result.GetValue(output)!, result.GetValue(corpus), result.GetValue(seed),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        models.Subcommands.Add(tiny);
        return models;
    }

    /// <summary>The artifact root a command works under: --artifacts, else Worker__ArtifactRoot, else ./artifacts (as the worker nodes default).</summary>
    internal static string ArtifactRoot(string? artifacts) => Path.GetFullPath(artifacts ?? Environment.GetEnvironmentVariable("Worker__ArtifactRoot") ?? "artifacts");

    // A bare name that is not a folder here is looked up under ARTIFACTS/models/.
    private static string Resolve(string folder, string? artifacts) =>
        Directory.Exists(folder) || Path.IsPathRooted(folder) ? Path.GetFullPath(folder) : Path.Combine(ArtifactRoot(artifacts), "models", folder);

    public static int Inspect(string folder, TextWriter output)
    {
        var summary = ModelSummary.Inspect(folder);
        output.WriteLine($"folder: {summary.Folder}");
        if (summary.ModelType.Length > 0)
        {
            output.WriteLine($"architecture: {summary.ModelType} ({string.Join(", ", summary.Architectures)}){(summary.Modality is { } m ? $", {m.ToString().ToLowerInvariant()}" : "")}");
            output.WriteLine(FormattableString.Invariant($"parameters: {summary.Parameters:N0}"));
            if (summary.StoredDTypes.Count > 0)
                output.WriteLine($"dtype: {string.Join(", ", summary.StoredDTypes.OrderByDescending(kv => kv.Value).Select(kv => kv.Key.Name()))}");
            output.WriteLine($"layers: {summary.Layers}");
            output.WriteLine($"hidden size: {summary.HiddenSize}");
            output.WriteLine(summary.Tokenizer == TokenizerKind.None
                ? "tokenizer: none"
                : FormattableString.Invariant($"tokenizer: {TokenizerName(summary.Tokenizer)}, vocabulary {summary.TokenizerVocabulary:N0} (model {summary.ModelVocabulary:N0})"));
            if (summary.Skipped.Count > 0) output.WriteLine($"unused checkpoint tensors: {summary.Skipped.Count} ({string.Join(", ", summary.Skipped.Take(3))}{(summary.Skipped.Count > 3 ? ", ..." : "")})");
        }
        foreach (var problem in summary.Problems) output.WriteLine($"problem: {problem}");
        output.WriteLine(summary.Problems.Count == 0 ? "ok" : $"{summary.Problems.Count} problem(s): the folder cannot be used as it is");
        return summary.Problems.Count == 0 ? 0 : 1;
    }

    private static string TokenizerName(TokenizerKind kind) => kind switch
    {
        TokenizerKind.TokenizerJson => "tokenizer.json",
        TokenizerKind.WordPiece => "vocab.txt (WordPiece)",
        TokenizerKind.ByteLevelBpe => "vocab.json + merges.txt (byte-level BPE)",
        TokenizerKind.SentencePiece => "tokenizer.model (SentencePiece)",
        _ => "none",
    };

    public static int List(string artifactRoot, TextWriter output)
    {
        var root = Path.Combine(artifactRoot, "models");
        var folders = Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, ModelFolder.ConfigFile))).Order(StringComparer.Ordinal).ToList()
            : [];
        if (folders.Count == 0)
        {
            output.WriteLine($"no model folders under {root} (copy a Hugging Face folder there, or write one with `models tiny`)");
            return 0;
        }
        foreach (var folder in folders)
        {
            var s = ModelSummary.Inspect(folder);
            var state = s.Problems.Count == 0 ? "ok" : $"{s.Problems.Count} problem(s): run models inspect";
            output.WriteLine(FormattableString.Invariant($"{Path.GetFileName(folder)}\t{s.ModelType}\t{s.Parameters:N0} parameters\t{s.Layers} layers x {s.HiddenSize}\t{TokenizerName(s.Tokenizer)}\t{state}"));
        }
        return 0;
    }

    public static int Tiny(string architecture, string folder, string? corpus, long seed, TextWriter output, TextWriter errors)
    {
        try
        {
            var texts = corpus is null ? [] : MeldLayoutTexts(corpus);
            var parameters = TinyModelWriter.Write(architecture, folder, texts, seed);
            output.WriteLine(FormattableString.Invariant($"wrote {architecture} ({parameters:N0} parameters) to {Path.GetFullPath(folder)}"));
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or TorchException or ModelFolderException)
        {
            errors.WriteLine($"models tiny: {e.Message}");
            return 1;
        }
    }

    /// <summary>The Utterance column of a MELD-layout corpus' three CSV files.</summary>
    internal static IEnumerable<string> MeldLayoutTexts(string corpus)
    {
        var files = new[] { "train_sent_emo.csv", "dev_sent_emo.csv", "test_sent_emo.csv" }.Select(f => Path.Combine(corpus, f)).Where(File.Exists).ToList();
        if (files.Count == 0) throw new IOException($"{corpus} holds none of train_sent_emo.csv, dev_sent_emo.csv, test_sent_emo.csv (a corpus in MELD's layout is expected)");
        foreach (var file in files)
        {
            var records = new CsvReader(File.ReadAllText(file)).Records().ToList();
            var column = records.Count == 0 ? -1 : records[0].Fields.ToList().IndexOf("Utterance");
            if (column < 0) throw new InvalidDataException($"{file}: no Utterance column in the header");
            foreach (var record in records.Skip(1)) if (record.Fields.Count > column) yield return record.Fields[column];
        }
    }
}
