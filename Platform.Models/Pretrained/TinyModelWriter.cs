using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>
/// Writes a small random-weight model folder of an architecture in Hugging Face's layout
/// (config.json, model.safetensors, and for text models a tokenizer covering the given texts' words
/// and the label words), for tests, the demo, and a lab that wants to smoke-test a grid on CPU before
/// spending GPU hours. Same architecture and seed, same bytes.
/// </summary>
public static partial class TinyModelWriter
{
    /// <summary>The final norm's weight in tiny LLMs (see <see cref="Write"/>).</summary>
    public const float LlmOutputScale = 8;

    public static IReadOnlyList<string> Architectures { get; } = ["hubert", "wav2vec2", "wavlm", "beats", "bert", "roberta", "llama", "qwen2"];

    /// <summary>Writes the folder; returns its parameter count.</summary>
    public static long Write(string architecture, string folder, IEnumerable<string> texts, long seed = 0)
    {
        if (!Architectures.Contains(architecture))
            throw new ArgumentException($"models tiny: architecture '{architecture}' is not one of {string.Join(", ", Architectures)}");
        Directory.CreateDirectory(folder);
        var words = Words(texts, answers: architecture is "llama" or "qwen2");
        var config = architecture switch
        {
            "hubert" or "wav2vec2" or "wavlm" => SpeechConfig(architecture),
            "beats" => BeatsConfig(),
            "bert" => WriteWordPiece(folder, words, BertConfig()),
            "roberta" => WriteByteLevelBpe(folder, words, RobertaConfig(), ["<s>", "<pad>", "</s>", "<unk>", "<mask>"], bos: "<s>", eos: "</s>", pad: "<pad>", unk: "<unk>", wrap: true),
            "llama" => WriteByteLevelBpe(folder, words, LlmConfig("llama", "LlamaForCausalLM"), ["<unk>", "<s>", "</s>"], bos: "<s>", eos: "</s>", pad: "</s>", unk: "<unk>", wrap: false, wholeWords: true),
            _ => WriteByteLevelBpe(folder, words, LlmConfig("qwen2", "Qwen2ForCausalLM"), ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], bos: null, eos: "<|im_end|>", pad: "<|endoftext|>", unk: null, wrap: false, wholeWords: true),
        };
        var pretrainedConfig = new PretrainedConfig(config);
        pretrainedConfig.Write(Path.Combine(folder, ModelFolder.ConfigFile));
        torch.manual_seed(seed);
        using var model = PretrainedArchitectures.Create(pretrainedConfig, folder);
        if (model is Llama.LlamaForCausalLM llm)
        {
            // A trained LLM's final norm scales its hidden states so answers can be confident; at
            // a random init's scale of 1 the vocabulary logits span only a few units, so even a
            // perfectly steered hidden state leaves a token's probability near 1 / vocabulary and
            // a LoRA-tuned family could not learn to answer.
            using var _ = torch.no_grad();
            model.state_dict()["model.norm.weight"].fill_(LlmOutputScale);
            // A tied LLM (Qwen2) reads its logits through its embeddings: HF initialises them at
            // std 0.02 (initializer_range); at nn.Embedding's N(0, 1) and the scale above the logits
            // span hundreds, and LoRA on a single soft prompt stalled at a wrong confident answer.
            if (llm.Config.TieWordEmbeddings) model.state_dict()["model.embed_tokens.weight"].mul_(0.02);
        }
        Safetensors.Save(Path.Combine(folder, ModelFolder.WeightsFile), model.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
        return model.parameter_count();
    }

    /// <summary>
    /// The words of the texts and the label words of every label set, each once, in first-seen
    /// order; an LLM's tokenizer also gets every word an answer may use (<see cref="Corpora.LabelWords"/>).
    /// </summary>
    private static List<string> Words(IEnumerable<string> texts, bool answers)
    {
        var labelWords = answers
            ? Corpora.LabelSets.All.SelectMany(s => s.Labels.Concat(Corpora.LabelWords.For(s).Words)).Concat(["emotion", "speaker"])
            : Corpora.LabelSets.All.SelectMany(s => s.Labels)
                .Concat(["happy", "angry", "sad", "excited", "frustrated", "neutral", "positive", "negative", "emotion", "speaker"]);
        // An LLM's answer words come first, so their merges rank before any text's and each ends as one token.
        var ordered = answers ? labelWords.Concat(texts) : texts.Concat(labelWords);
        return ordered.SelectMany(t => WordPattern().Matches(t).Select(m => m.Value)).Distinct().ToList();
    }

    [GeneratedRegex(@"\p{L}+|\p{N}+|[^\s\p{L}\p{N}]")]
    private static partial Regex WordPattern();

    private static JsonObject SpeechConfig(string type) => new()
    {
        ["model_type"] = type, ["architectures"] = new JsonArray(type switch { "hubert" => "HubertModel", "wavlm" => "WavLMModel", _ => "Wav2Vec2Model" }),
        ["hidden_size"] = 32, ["num_hidden_layers"] = 2, ["num_attention_heads"] = 2, ["intermediate_size"] = 64, ["hidden_act"] = "gelu",
        ["feat_extract_norm"] = "group", ["feat_extract_activation"] = "gelu", ["conv_bias"] = false,
        ["conv_dim"] = new JsonArray(32, 32, 32, 32, 32, 32, 32), ["conv_kernel"] = new JsonArray(10, 3, 3, 3, 3, 2, 2), ["conv_stride"] = new JsonArray(5, 2, 2, 2, 2, 2, 2),
        ["num_conv_pos_embeddings"] = 16, ["num_conv_pos_embedding_groups"] = 4, ["do_stable_layer_norm"] = false, ["layer_norm_eps"] = 1e-5,
        ["mask_time_prob"] = 0.05, ["feat_proj_layer_norm"] = true,
    };

    // BEATs_iter3's settings at a small width: deep norm, gated relative position bias.
    private static JsonObject BeatsConfig() => new()
    {
        ["model_type"] = "beats", ["architectures"] = new JsonArray("BEATs"), ["input_patch_size"] = 16, ["embed_dim"] = 32, ["conv_bias"] = false,
        ["encoder_layers"] = 2, ["encoder_embed_dim"] = 32, ["encoder_ffn_embed_dim"] = 64, ["encoder_attention_heads"] = 2, ["activation_fn"] = "gelu",
        ["layer_norm_first"] = false, ["deep_norm"] = true, ["conv_pos"] = 16, ["conv_pos_groups"] = 4, ["relative_position_embedding"] = true,
        ["num_buckets"] = 320, ["max_distance"] = 800, ["gru_rel_pos"] = true, ["finetuned_model"] = false,
    };

    private static JsonObject BertConfig() => new()
    {
        ["model_type"] = "bert", ["architectures"] = new JsonArray("BertModel"), ["hidden_size"] = 32, ["num_hidden_layers"] = 2,
        ["num_attention_heads"] = 2, ["intermediate_size"] = 64, ["hidden_act"] = "gelu", ["max_position_embeddings"] = 128,
        ["type_vocab_size"] = 2, ["layer_norm_eps"] = 1e-12, ["pad_token_id"] = 0,
    };

    private static JsonObject RobertaConfig() => new()
    {
        ["model_type"] = "roberta", ["architectures"] = new JsonArray("RobertaModel"), ["hidden_size"] = 32, ["num_hidden_layers"] = 2,
        ["num_attention_heads"] = 2, ["intermediate_size"] = 64, ["hidden_act"] = "gelu", ["max_position_embeddings"] = 130,
        ["type_vocab_size"] = 1, ["layer_norm_eps"] = 1e-5, ["pad_token_id"] = 1,
    };

    private static JsonObject LlmConfig(string type, string architecture) => new()
    {
        ["model_type"] = type, ["architectures"] = new JsonArray(architecture), ["hidden_size"] = 32, ["intermediate_size"] = 64,
        ["num_hidden_layers"] = 2, ["num_attention_heads"] = 4, ["num_key_value_heads"] = 2, ["hidden_act"] = "silu",
        ["max_position_embeddings"] = 512, ["rms_norm_eps"] = 1e-6, ["rope_theta"] = type == "qwen2" ? 1000000.0 : 10000.0,
        ["tie_word_embeddings"] = type == "qwen2",
    };

    // vocab.txt: BERT's special tokens, every character alone and as a ##continuation, then the
    // words as BERT's uncased normaliser leaves them (lower case, accents stripped).
    private static JsonObject WriteWordPiece(string folder, List<string> words, JsonObject config)
    {
        var lower = words.Select(w => new string(w.ToLowerInvariant().Normalize(NormalizationForm.FormD)
            .Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark).ToArray()))
            .Where(w => w.Length > 0).Distinct().ToList();
        var characters = lower.SelectMany(w => w.Select(c => c.ToString())).Distinct().Order(StringComparer.Ordinal).ToList();
        var vocab = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        vocab.AddRange(characters.Concat(characters.Select(c => "##" + c)).Concat(lower).Distinct().Where(t => !vocab.Contains(t)));
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"), vocab);
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), new JsonObject
        {
            ["do_lower_case"] = true, ["cls_token"] = "[CLS]", ["sep_token"] = "[SEP]", ["pad_token"] = "[PAD]", ["unk_token"] = "[UNK]", ["mask_token"] = "[MASK]",
            ["tokenizer_class"] = "BertTokenizer",
        }.ToJsonString());
        config["vocab_size"] = vocab.Count;
        return config;
    }

    // A byte-level BPE whose merges build every word (alone and after a space) left to right from
    // its bytes, written as tokenizer.json the way transformers' converters write one.
    private static JsonObject WriteByteLevelBpe(string folder, List<string> words, JsonObject config, string[] specials,
        string? bos, string? eos, string? pad, string? unk, bool wrap, bool wholeWords = false)
    {
        var byteChars = GptBytes();
        var vocab = new JsonObject();
        foreach (var token in specials) vocab[token] = vocab.Count;
        foreach (var c in byteChars) if (!vocab.ContainsKey(c.ToString())) vocab[c.ToString()] = vocab.Count;
        var merges = new List<string>();
        var ranks = new Dictionary<(string, string), int>();
        foreach (var word in words.SelectMany(w => new[] { w, " " + w }))
        {
            var symbols = Encoding.UTF8.GetBytes(word).Select(b => byteChars[b].ToString()).ToList();
            // An LLM's words end as one token each, also after a space (as a trained BPE has common
            // words, and a family reading the answer after "Emotion:" needs each label's first token
            // to differ): the merges so far are applied first, and what they leave is joined by new
            // merges, which rank after them. Other tokenizers build each word from its bytes.
            if (wholeWords) symbols = ApplyMerges(symbols, ranks);
            var merged = symbols[0];
            foreach (var next in symbols.Skip(1))
            {
                if (!vocab.ContainsKey(merged + next) || (wholeWords && !ranks.ContainsKey((merged, next))))
                {
                    ranks.TryAdd((merged, next), merges.Count);
                    merges.Add($"{merged} {next}");
                    if (!vocab.ContainsKey(merged + next)) vocab[merged + next] = vocab.Count;
                }
                merged += next;
            }
        }
        var vocabPath = Path.Combine(folder, "vocab.json");
        var mergesPath = Path.Combine(folder, "merges.txt");
        File.WriteAllText(vocabPath, vocab.ToJsonString());
        File.WriteAllLines(mergesPath, ["#version: 0.2", .. merges]);
        var settings = new JsonObject { ["add_prefix_space"] = false };
        void Special(string key, string? token) { if (token is not null) settings[key] = token; }
        Special("bos_token", bos); Special("eos_token", eos); Special("pad_token", pad); Special("unk_token", unk);
        if (wrap) { Special("cls_token", bos); Special("sep_token", eos); }
        var json = SlowTokenizerConverter.FromVocabAndMerges(vocabPath, mergesPath, settings);
        if (config["model_type"]!.GetValue<string>() == "llama") json["post_processor"] = SlowTokenizerConverter.Template(vocab, [bos!], []);
        if (config["model_type"]!.GetValue<string>() != "roberta")
        {
            json["added_tokens"] = new JsonArray(specials.Select(t => (JsonNode)new JsonObject
            {
                ["id"] = vocab[t]!.GetValue<int>(), ["content"] = t, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            }).ToArray());
            File.Delete(vocabPath);
            File.Delete(mergesPath);
            File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
        }
        settings["tokenizer_class"] = config["model_type"]!.GetValue<string>() switch { "roberta" => "RobertaTokenizer", "llama" => "LlamaTokenizerFast", _ => "Qwen2TokenizerFast" };
        if (config["model_type"]!.GetValue<string>() == "llama") settings["add_bos_token"] = true;
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), settings.ToJsonString());
        config["vocab_size"] = vocab.Count;
        return config;
    }

    /// <summary>GPT-2's printable stand-in for each byte (encoder.py's bytes_to_unicode).</summary>
    // BPE as a tokenizer applies it: the adjacent pair of lowest rank is merged, everywhere in the word, until none applies.
    private static List<string> ApplyMerges(List<string> symbols, Dictionary<(string, string), int> ranks)
    {
        while (true)
        {
            var best = Enumerable.Range(0, symbols.Count - 1).Select(i => (Pair: (symbols[i], symbols[i + 1]), Rank: ranks.GetValueOrDefault((symbols[i], symbols[i + 1]), int.MaxValue)))
                .DefaultIfEmpty((Pair: ("", ""), Rank: int.MaxValue)).MinBy(p => p.Rank);
            if (best.Rank == int.MaxValue) return symbols;
            var joined = new List<string>();
            for (var i = 0; i < symbols.Count; i++)
                if (i + 1 < symbols.Count && (symbols[i], symbols[i + 1]) == best.Pair) { joined.Add(symbols[i] + symbols[i + 1]); i++; }
                else joined.Add(symbols[i]);
            symbols = joined;
        }
    }

    private static char[] GptBytes()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var result = new char[256];
        var extra = 0;
        for (var b = 0; b < 256; b++) result[b] = printable.Contains(b) ? (char)b : (char)(256 + extra++);
        return result;
    }
}
