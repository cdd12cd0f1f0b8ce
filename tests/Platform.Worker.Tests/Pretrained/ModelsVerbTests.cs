using System.CommandLine;
using EmotionLab.Models.Pretrained;
using EmotionLab.Worker.Pretrained;

namespace EmotionLab.Worker.Tests.Pretrained;

/// <summary><c>models tiny</c>, <c>models inspect</c> and <c>models list</c> as the command line parses and runs them.</summary>
public sealed class ModelsVerbTests(SmallEmoSynth corpus) : IClassFixture<SmallEmoSynth>, IDisposable
{
    private readonly string artifacts = Directory.CreateTempSubdirectory("emotionlab-models-verb-").FullName;

    public void Dispose() => Directory.Delete(artifacts, recursive: true);

    private static (int Exit, string Output, string Errors) Run(params string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var exit = new RootCommand { ModelsVerb.Command() }.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public void Tiny_writes_a_folder_whose_tokenizer_covers_the_corpus_and_inspect_describes_it()
    {
        var folder = Path.Combine(artifacts, "models", "tiny-roberta");
        var (exit, output, errors) = Run("models", "tiny", "--architecture", "roberta", "--out", folder, "--corpus", corpus.Corpus);
        Assert.True(exit == 0, errors);
        Assert.StartsWith("wrote roberta (", output);

        var words = File.ReadAllText(Path.Combine(corpus.Corpus, "train_sent_emo.csv")).Split('"')[3]; // the first utterance
        using (var tokenizer = PretrainedTokenizer.Open(ModelFolder.Open(folder)))
            Assert.DoesNotContain(tokenizer.TokenId("<unk>")!.Value, tokenizer.Encode(words));

        (exit, output, errors) = Run("models", "inspect", "tiny-roberta", "--artifacts", artifacts);
        Assert.True(exit == 0, output + errors);
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains("architecture: roberta (RobertaModel), text", lines);
        Assert.Contains("layers: 2", lines);
        Assert.Contains("hidden size: 32", lines);
        Assert.Contains("dtype: float32", lines);
        Assert.Contains(lines, l => l.StartsWith("tokenizer: vocab.json + merges.txt (byte-level BPE), vocabulary "));
        Assert.Equal("ok", lines.Last(l => l.Length > 0));

        (exit, output, _) = Run("models", "list", "--artifacts", artifacts);
        Assert.Equal(0, exit);
        Assert.StartsWith("tiny-roberta\troberta\t", output);
    }

    [Fact]
    public void Inspect_lists_every_problem_and_exits_1()
    {
        var folder = Path.Combine(artifacts, "broken");
        Run("models", "tiny", "--architecture", "bert", "--out", folder);
        File.Delete(Path.Combine(folder, "vocab.txt"));
        var config = PretrainedConfig.Read(Path.Combine(folder, ModelFolder.ConfigFile));
        config.Set("hidden_size", 48);
        config.Write(Path.Combine(folder, ModelFolder.ConfigFile));

        var (exit, output, _) = Run("models", "inspect", folder);
        Assert.Equal(1, exit);
        Assert.Contains("problem: tensor 'embeddings.word_embeddings.weight' has shape [", output);
        Assert.Contains("problem: no tokenizer files", output);
        Assert.Contains("problem(s): the folder cannot be used as it is", output);
    }

    [Fact]
    public void Tiny_refuses_an_unknown_architecture()
    {
        var (exit, _, errors) = Run("models", "tiny", "--architecture", "mamba", "--out", Path.Combine(artifacts, "x"));
        Assert.Equal(1, exit);
        Assert.Contains("architecture 'mamba' is not one of", errors);
    }
}
