using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Families.Baselines;

/// <summary>
/// The word-level text encoder: embeddings of the train-split vocabulary, then either a masked
/// mean over the tokens ("mean", a bag of embeddings) or one transformer encoder layer followed
/// by the masked mean ("transformer", adds word order and context).
/// </summary>
public sealed record TextEncoderConfig
{
    public const string MeanEncoder = "mean";
    public const string TransformerEncoder = "transformer";

    public static IReadOnlyList<string> Encoders { get; } = [MeanEncoder, TransformerEncoder];

    /// <summary>mean | transformer.</summary>
    public string Encoder { get; init; } = MeanEncoder;

    public int EmbeddingSize { get; init; } = 64;

    /// <summary>Attention heads of the transformer layer; must divide the embedding size.</summary>
    public int Heads { get; init; } = 2;

    /// <summary>Words kept per utterance (the first ones); longer utterances are cut.</summary>
    public int MaxTokens { get; init; } = 48;

    public void Validate(string path, List<SpecProblem> problems)
    {
        if (!Encoders.Contains(Encoder)) problems.Add(new($"{path}.encoder", $"unknown encoder '{Encoder}'; one of {string.Join(", ", Encoders)}"));
        if (EmbeddingSize < 1) problems.Add(new($"{path}.embeddingSize", $"must be at least 1, got {EmbeddingSize}"));
        if (MaxTokens < 1) problems.Add(new($"{path}.maxTokens", $"must be at least 1, got {MaxTokens}"));
        if (Encoder == TransformerEncoder && (Heads < 1 || (EmbeddingSize >= 1 && EmbeddingSize % Heads != 0)))
            problems.Add(new($"{path}.heads", $"must be at least 1 and divide embeddingSize {EmbeddingSize}, got {Heads}"));
    }
}
