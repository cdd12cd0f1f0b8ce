using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;

namespace EmotionLab.Models.Pretrained;

/// <summary>
/// A model folder's tokenizer, through Hugging Face's own Rust tokenizers (Tokenizers.DotNet)
/// wherever it can run it: tokenizer.json as it is; vocab.txt (WordPiece) and vocab.json +
/// merges.txt (byte-level BPE) converted to the tokenizer.json transformers would make of them
/// (<see cref="SlowTokenizerConverter"/>). tokenizer.model (SentencePiece, LLaMA) goes through
/// Microsoft.ML.Tokenizers' LlamaTokenizer, checked against the sentencepiece library. Special
/// tokens follow tokenizer_config.json.
/// </summary>
public sealed class PretrainedTokenizer : IDisposable
{
    private readonly Func<string, bool, int[]> encode;
    private readonly Func<IEnumerable<int>, string> decode;
    private readonly IReadOnlyDictionary<string, int> vocabulary;
    private readonly List<string> temporaryFiles = [];

    private PretrainedTokenizer(TokenizerKind kind, IReadOnlyDictionary<string, int> vocabulary, Func<string, bool, int[]> encode, Func<IEnumerable<int>, string> decode)
    {
        (Kind, this.vocabulary, this.encode, this.decode) = (kind, vocabulary, encode, decode);
    }

    public TokenizerKind Kind { get; }

    /// <summary>Ids in use: the largest id + 1, added tokens included.</summary>
    public int VocabularySize => vocabulary.Count == 0 ? 0 : vocabulary.Values.Max() + 1;

    /// <summary>Text to ids; with special tokens as the model was trained with them ([CLS] … [SEP], &lt;s&gt; …).</summary>
    public int[] Encode(string text, bool addSpecialTokens = true) => encode(text, addSpecialTokens);

    public string Decode(IEnumerable<int> ids) => decode(ids);

    /// <summary>The id of a token spelled exactly so in the vocabulary (special tokens included), or null.</summary>
    public int? TokenId(string token) => vocabulary.TryGetValue(token, out var id) ? id : null;

    /// <summary>The id of tokenizer_config.json's pad token, else its eos, unk or 0.</summary>
    public int PadId { get; private set; }

    /// <summary>The tokenizer of the folder, or a <see cref="ModelFolderException"/> when it has none.</summary>
    public static PretrainedTokenizer Open(ModelFolder folder)
    {
        var settings = ReadSettings(folder);
        PretrainedTokenizer tokenizer;
        try
        {
            tokenizer = folder.Tokenizer switch
            {
                TokenizerKind.TokenizerJson => FromTokenizerJson(folder.Tokenizer, JsonNode.Parse(File.ReadAllText(folder.File("tokenizer.json"))) as JsonObject ?? []),
                TokenizerKind.WordPiece => FromTokenizerJson(folder.Tokenizer, SlowTokenizerConverter.FromVocabTxt(folder.File("vocab.txt"), settings)),
                TokenizerKind.ByteLevelBpe => FromTokenizerJson(folder.Tokenizer, SlowTokenizerConverter.FromVocabAndMerges(folder.File("vocab.json"), folder.File("merges.txt"), settings)),
                TokenizerKind.SentencePiece => FromSentencePiece(folder, settings),
                _ => throw new ModelFolderException(folder.Path, ["no tokenizer files (tokenizer.json, vocab.json + merges.txt, vocab.txt or tokenizer.model): copy them from the model's original folder"]),
            };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or Tokenizers.DotNet.TokenizerException)
        {
            throw new ModelFolderException(folder.Path, [$"the {folder.Tokenizer} tokenizer files cannot be read: {e.Message}"]);
        }
        tokenizer.PadId = new[] { "pad_token", "eos_token", "unk_token" }
            .Select(key => SlowTokenizerConverter.Special(settings, key)).OfType<string>().Select(tokenizer.TokenId).FirstOrDefault(id => id is not null) ?? 0;
        return tokenizer;
    }

    private static JsonObject ReadSettings(ModelFolder folder)
    {
        var path = folder.File("tokenizer_config.json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
    }

    // Tokenizers.DotNet always runs the post-processor (the special tokens): a copy without it
    // serves add_special_tokens=False, as in transformers.
    private static PretrainedTokenizer FromTokenizerJson(TokenizerKind kind, JsonObject json)
    {
        var vocabulary = new Dictionary<string, int>();
        switch (json["model"]?["vocab"])
        {
            case JsonObject map: foreach (var (token, id) in map) vocabulary[token] = id!.GetValue<int>(); break;
            case JsonArray pieces: for (var i = 0; i < pieces.Count; i++) vocabulary[pieces[i]![0]!.GetValue<string>()] = i; break; // Unigram
        }
        foreach (var added in json["added_tokens"] as JsonArray ?? [])
            vocabulary[added!["content"]!.GetValue<string>()] = added["id"]!.GetValue<int>();
        string Write(JsonObject content)
        {
            var path = Path.Combine(Path.GetTempPath(), $"elt-tokenizer-{Guid.NewGuid():N}.json");
            File.WriteAllText(path, content.ToJsonString());
            return path;
        }
        var fullPath = Write(json);
        var plainJson = (JsonObject)json.DeepClone();
        plainJson["post_processor"] = null;
        var plainPath = Write(plainJson);
        var withSpecial = new Tokenizers.DotNet.Tokenizer(fullPath);
        var plain = new Tokenizers.DotNet.Tokenizer(plainPath);
        var result = new PretrainedTokenizer(kind, vocabulary,
            (text, special) => (special ? withSpecial : plain).Encode(text).Select(id => (int)id).ToArray(),
            ids => withSpecial.Decode(ids.Select(id => (uint)id).ToArray()));
        result.temporaryFiles.AddRange([fullPath, plainPath]);
        return result;
    }

    private static PretrainedTokenizer FromSentencePiece(ModelFolder folder, JsonObject settings)
    {
        SentencePieceTokenizer spm;
        using (var model = File.OpenRead(folder.File("tokenizer.model")))
        {
            try { spm = LlamaTokenizer.Create(model); }
            catch (ArgumentException e) { throw new ModelFolderException(folder.Path, [$"tokenizer.model cannot be read ({e.Message}); add the folder's tokenizer.json instead"]); }
        }
        var (bos, eos) = (SlowTokenizerConverter.Flag(settings, "add_bos_token", true), SlowTokenizerConverter.Flag(settings, "add_eos_token", false));
        return new PretrainedTokenizer(TokenizerKind.SentencePiece, new Dictionary<string, int>(spm.Vocabulary),
            (text, special) => text.Length == 0 // sentencepiece gives [bos] for the empty text; Microsoft.ML gives nothing
                ? [.. special && bos ? [spm.BeginningOfSentenceId] : Array.Empty<int>(), .. special && eos ? [spm.EndOfSentenceId] : Array.Empty<int>()]
                : spm.EncodeToIds(text, special && bos, special && eos).ToArray(),
            ids => spm.Decode(ids));
    }

    public void Dispose()
    {
        foreach (var file in temporaryFiles) File.Delete(file);
        temporaryFiles.Clear();
    }
}
