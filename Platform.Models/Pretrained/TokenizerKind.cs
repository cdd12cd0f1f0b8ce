namespace EmotionLab.Models.Pretrained;

/// <summary>Which tokenizer files a model folder holds, in the order they are preferred.</summary>
public enum TokenizerKind
{
    /// <summary>No tokenizer files (speech encoders).</summary>
    None,

    /// <summary>tokenizer.json: Hugging Face's tokenizers format (any model).</summary>
    TokenizerJson,

    /// <summary>vocab.json + merges.txt: byte-level BPE (RoBERTa, GPT-2, Qwen2).</summary>
    ByteLevelBpe,

    /// <summary>vocab.txt: WordPiece (BERT).</summary>
    WordPiece,

    /// <summary>tokenizer.model: SentencePiece (LLaMA).</summary>
    SentencePiece,
}
