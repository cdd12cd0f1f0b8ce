using System.Text.Json.Nodes;

namespace EmotionLab.Models.Pretrained;

/// <summary>
/// Writes the tokenizer.json that transformers' convert_slow_tokenizer.py makes of a folder's
/// older tokenizer files, so Hugging Face's own Rust tokenizers run them: vocab.txt as BERT's
/// WordPiece (BertConverter), vocab.json + merges.txt as byte-level BPE (RobertaConverter when
/// the folder names cls and sep tokens, GPT2Converter otherwise). Microsoft.ML.Tokenizers'
/// BertTokenizer was tried for vocab.txt and differs from transformers (a word after a tab split
/// into pieces, an emoji dropped instead of [UNK]), so it is not used.
/// </summary>
public static class SlowTokenizerConverter
{
    public static JsonObject FromVocabTxt(string vocabFile, JsonObject settings)
    {
        var vocab = new JsonObject();
        var index = 0;
        foreach (var token in File.ReadLines(vocabFile)) if (!vocab.ContainsKey(token)) vocab[token] = index++; else index++;
        var lower = Flag(settings, "do_lower_case", true);
        var (cls, sep, unk) = (Special(settings, "cls_token") ?? "[CLS]", Special(settings, "sep_token") ?? "[SEP]", Special(settings, "unk_token") ?? "[UNK]");
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = AddedTokens(settings, vocab, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = Flag(settings, "tokenize_chinese_chars", true),
                ["strip_accents"] = settings["strip_accents"]?.DeepClone(), ["lowercase"] = lower,
            },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = Template(vocab, [cls], [sep]),
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new JsonObject { ["type"] = "WordPiece", ["unk_token"] = unk, ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100, ["vocab"] = vocab },
        };
    }

    public static JsonObject FromVocabAndMerges(string vocabFile, string mergesFile, JsonObject settings)
    {
        var vocab = JsonNode.Parse(File.ReadAllText(vocabFile)) as JsonObject ?? throw new InvalidDataException($"{vocabFile} is not a JSON object of token ids");
        var merges = new JsonArray(File.ReadLines(mergesFile).Where(l => l.Length > 0 && !l.StartsWith("#version")).Select(l => (JsonNode)l).ToArray());
        var prefixSpace = Flag(settings, "add_prefix_space", false);
        var (cls, sep) = (Special(settings, "cls_token"), Special(settings, "sep_token"));
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = prefixSpace, ["trim_offsets"] = true, ["use_regex"] = true };
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = AddedTokens(settings, vocab, []),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = cls is not null && sep is not null && vocab.ContainsKey(cls) && vocab.ContainsKey(sep)
                ? new JsonObject
                {
                    ["type"] = "RobertaProcessing", ["sep"] = new JsonArray(sep, vocab[sep]!.GetValue<int>()), ["cls"] = new JsonArray(cls, vocab[cls]!.GetValue<int>()),
                    ["trim_offsets"] = true, ["add_prefix_space"] = prefixSpace,
                }
                : new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = prefixSpace, ["trim_offsets"] = false, ["use_regex"] = true },
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "", ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["vocab"] = vocab.DeepClone(), ["merges"] = merges,
            },
        };
    }

    /// <summary>A TemplateProcessing post-processor: prefix $A suffix (and the pair form).</summary>
    public static JsonObject Template(JsonObject vocab, IReadOnlyList<string> prefix, IReadOnlyList<string> suffix)
    {
        JsonNode Piece(string kind, string id, int type) => new JsonObject { [kind] = new JsonObject { ["id"] = id, ["type_id"] = type } };
        var single = new JsonArray([.. prefix.Select(t => Piece("SpecialToken", t, 0)), Piece("Sequence", "A", 0), .. suffix.Select(t => Piece("SpecialToken", t, 0))]);
        var pair = new JsonArray([.. prefix.Select(t => Piece("SpecialToken", t, 0)), Piece("Sequence", "A", 0), .. suffix.Select(t => Piece("SpecialToken", t, 0)),
            Piece("Sequence", "B", 1), .. suffix.Select(t => Piece("SpecialToken", t, 1))]);
        var special = new JsonObject();
        foreach (var token in prefix.Concat(suffix).Distinct())
            special[token] = new JsonObject { ["id"] = token, ["ids"] = new JsonArray(vocab[token]?.GetValue<int>() ?? 0), ["tokens"] = new JsonArray(token) };
        return new JsonObject { ["type"] = "TemplateProcessing", ["single"] = single, ["pair"] = pair, ["special_tokens"] = special };
    }

    // The special tokens of tokenizer_config.json (and BERT's usual ones) that the vocabulary holds,
    // matched whole before the model splits text, as transformers registers them.
    private static JsonArray AddedTokens(JsonObject settings, JsonObject vocab, IEnumerable<string> usual)
    {
        var names = new[] { "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token" }
            .Select(k => Special(settings, k)).OfType<string>().Concat(usual).Distinct().Where(vocab.ContainsKey);
        return new JsonArray(names.Select(t => (JsonNode)new JsonObject
        {
            ["id"] = vocab[t]!.GetValue<int>(), ["content"] = t, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
        }).OrderBy(n => n["id"]!.GetValue<int>()).ToArray());
    }

    /// <summary>A special token of tokenizer_config.json: a string, or an AddedToken object with "content".</summary>
    public static string? Special(JsonObject settings, string key) => settings[key] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o => o["content"]?.GetValue<string>(),
        _ => null,
    };

    public static bool Flag(JsonObject settings, string key, bool fallback) => settings[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;
}
