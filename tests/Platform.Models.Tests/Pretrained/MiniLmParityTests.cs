using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Bert;
using EmotionLab.Models.Torch;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit.Abstractions;

namespace EmotionLab.Models.Tests.Pretrained;

/// <summary>
/// Real weights against an outside runtime: all-MiniLM-L6-v2, converted from its ONNX export into
/// an HF folder and loaded through our loader, against ONNX Runtime running the original graph,
/// on sentences tokenized by our tokenizer path (itself checked against HF's Rust tokenizers).
/// </summary>
public sealed class MiniLmParityTests(MiniLmFolder minilm, ITestOutputHelper output) : IClassFixture<MiniLmFolder>
{
    public static readonly string[] Sentences =
    [
        "This is an example sentence",
        "Café déjà vu — naïve résumé!",
        "I'm   so\thappy 😀 today!!",
        "Unfathomableness of zxqvw floccinaucinihilipilification",
        "Okay.",
    ];

    [Fact]
    public void Our_wordpiece_path_encodes_as_hugging_face_tokenizers()
    {
        var folder = ModelFolder.Open(minilm.Folder);
        Assert.Equal(TokenizerKind.WordPiece, folder.Tokenizer);
        using var ours = PretrainedTokenizer.Open(folder);
        var oracle = new Tokenizers.DotNet.Tokenizer(minilm.OracleTokenizerJson);
        Assert.Equal([101, 2023, 2003, 2019, 2742, 6251, 102], ours.Encode(Sentences[0]));
        foreach (var sentence in Sentences)
            Assert.Equal(oracle.Encode(sentence).Select(i => (int)i).ToArray(), ours.Encode(sentence));
        Assert.Equal(30522, ours.VocabularySize);
    }

    [Fact]
    public void Converted_minilm_matches_onnx_runtime_to_1e_4()
    {
        using var model = (BertModel)PretrainedArchitectures.Load(minilm.Folder);
        using var tokenizer = PretrainedTokenizer.Open(ModelFolder.Open(minilm.Folder));
        using var session = new InferenceSession(minilm.OnnxModel);
        var worst = 0.0;
        foreach (var sentence in Sentences)
        {
            var ids = tokenizer.Encode(sentence).Select(i => (long)i).ToArray();
            var expected = RunOnnx(session, ids);
            using var scope = torch.NewDisposeScope();
            using var _ = torch.no_grad();
            var input = torch.tensor(ids, [1, ids.Length]);
            var actual = model.forward(input, torch.ones_like(input)).LastHiddenState.data<float>();
            Assert.Equal(expected.Length, actual.Length);
            var difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            output.WriteLine($"{sentence}: {ids.Length} tokens, max |diff| {difference:E2}");
            worst = Math.Max(worst, difference);
        }
        Assert.True(worst <= 1e-4, $"max |diff| {worst:E3} > 1e-4");
    }

    [Fact]
    public void The_first_values_are_the_published_ones()
    {
        using var model = (BertModel)PretrainedArchitectures.Load(minilm.Folder);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var input = torch.tensor(new long[] { 101, 2023, 2003, 2019, 2742, 6251, 102 }, [1, 7]);
        var values = model.forward(input, torch.ones_like(input)).LastHiddenState.data<float>();
        Assert.Equal(0.036565114, values[0], 1e-4);
        Assert.Equal(-0.016161578, values[1], 1e-4);
        Assert.Equal(0.16824517, values[2], 1e-4);
    }

    private static float[] RunOnnx(InferenceSession session, long[] ids)
    {
        var shape = new[] { 1, ids.Length };
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(ids.Select(_ => 1L).ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[ids.Length], shape)),
        };
        using var results = session.Run(inputs);
        return results.First(r => r.Name == "last_hidden_state").AsEnumerable<float>().ToArray();
    }
}
