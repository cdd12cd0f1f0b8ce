namespace EmotionLab.Models.Pretrained.Bert;

/// <summary>
/// BERT's and RoBERTa's config.json (HF BertConfig / RobertaConfig, defaults as there). RoBERTa is
/// BERT with positions counted from padding_idx + 1 and one token type: one model serves both.
/// </summary>
public sealed record BertConfig
{
    public string ModelType { get; init; } = "bert";
    public int VocabSize { get; init; } = 30522;
    public int HiddenSize { get; init; } = 768;
    public int NumHiddenLayers { get; init; } = 12;
    public int NumAttentionHeads { get; init; } = 12;
    public int IntermediateSize { get; init; } = 3072;
    public string HiddenAct { get; init; } = "gelu";
    public double HiddenDropoutProb { get; init; } = 0.1;
    public double AttentionProbsDropoutProb { get; init; } = 0.1;
    public int MaxPositionEmbeddings { get; init; } = 512;
    public int TypeVocabSize { get; init; } = 2;
    public double LayerNormEps { get; init; } = 1e-12;
    public int PadTokenId { get; init; }

    public bool IsRoberta => ModelType is "roberta" or "xlm-roberta";

    public static BertConfig From(PretrainedConfig c)
    {
        var roberta = c.ModelType is "roberta" or "xlm-roberta";
        return new()
        {
            ModelType = c.ModelType,
            VocabSize = c.Int("vocab_size", roberta ? 50265 : 30522),
            HiddenSize = c.Int("hidden_size", 768),
            NumHiddenLayers = c.Int("num_hidden_layers", 12),
            NumAttentionHeads = c.Int("num_attention_heads", 12),
            IntermediateSize = c.Int("intermediate_size", 3072),
            HiddenAct = c.String("hidden_act", "gelu"),
            HiddenDropoutProb = c.Double("hidden_dropout_prob", 0.1),
            AttentionProbsDropoutProb = c.Double("attention_probs_dropout_prob", 0.1),
            MaxPositionEmbeddings = c.Int("max_position_embeddings", 512),
            TypeVocabSize = c.Int("type_vocab_size", 2),
            LayerNormEps = c.Double("layer_norm_eps", 1e-12),
            PadTokenId = c.Int("pad_token_id", roberta ? 1 : 0),
        };
    }
}
