namespace EmotionLab.Models.Pretrained.Wav2Vec2;

/// <summary>
/// wav2vec 2.0's, HuBERT's and WavLM's config.json (HF Wav2Vec2Config / HubertConfig / WavLMConfig,
/// defaults as there). HuBERT is wav2vec 2.0's architecture without the quantizer, plus an optional
/// feature-projection LayerNorm (feat_proj_layer_norm); WavLM adds a gated relative position bias
/// to the attention (num_buckets, max_bucket_distance): one model serves the three.
/// </summary>
public sealed record Wav2Vec2Config
{
    public string ModelType { get; init; } = "wav2vec2";
    public int HiddenSize { get; init; } = 768;
    public int NumHiddenLayers { get; init; } = 12;
    public int NumAttentionHeads { get; init; } = 12;
    public int IntermediateSize { get; init; } = 3072;
    public string HiddenAct { get; init; } = "gelu";
    public double HiddenDropout { get; init; } = 0.1;
    public double ActivationDropout { get; init; } = 0.1;
    public double AttentionDropout { get; init; } = 0.1;
    public double FeatProjDropout { get; init; }
    public double LayerNormEps { get; init; } = 1e-5;

    /// <summary>"group": GroupNorm after the first conv only (base models); "layer": LayerNorm after every conv (large models).</summary>
    public string FeatExtractNorm { get; init; } = "group";
    public string FeatExtractActivation { get; init; } = "gelu";
    public int[] ConvDim { get; init; } = [512, 512, 512, 512, 512, 512, 512];
    public int[] ConvStride { get; init; } = [5, 2, 2, 2, 2, 2, 2];
    public int[] ConvKernel { get; init; } = [10, 3, 3, 3, 3, 2, 2];
    public bool ConvBias { get; init; }
    public int NumConvPosEmbeddings { get; init; } = 128;
    public int NumConvPosEmbeddingGroups { get; init; } = 16;

    /// <summary>Pre-norm transformer layers with a final LayerNorm (large models) instead of post-norm.</summary>
    public bool DoStableLayerNorm { get; init; }
    public bool FeatProjLayerNorm { get; init; } = true;

    /// <summary>WavLM: buckets of the relative position bias (0: no bias, wav2vec 2.0 and HuBERT).</summary>
    public int NumBuckets { get; init; }

    /// <summary>WavLM: relative distance at which the log-spaced buckets end.</summary>
    public int MaxBucketDistance { get; init; } = 800;

    /// <summary>Whether the checkpoint carries masked_spec_embed (SpecAugment's mask vector).</summary>
    public bool HasMaskedSpecEmbed { get; init; } = true;

    public static Wav2Vec2Config From(PretrainedConfig c)
    {
        var hubert = c.ModelType == "hubert";
        return new()
        {
            ModelType = c.ModelType,
            HiddenSize = c.Int("hidden_size", 768),
            NumHiddenLayers = c.Int("num_hidden_layers", 12),
            NumAttentionHeads = c.Int("num_attention_heads", 12),
            IntermediateSize = c.Int("intermediate_size", 3072),
            HiddenAct = c.String("hidden_act", "gelu"),
            HiddenDropout = c.Double("hidden_dropout", 0.1),
            ActivationDropout = c.Double("activation_dropout", 0.1),
            AttentionDropout = c.Double("attention_dropout", 0.1),
            FeatProjDropout = c.Double("feat_proj_dropout", hubert ? 0.1 : 0.0),
            LayerNormEps = c.Double("layer_norm_eps", 1e-5),
            FeatExtractNorm = c.String("feat_extract_norm", "group"),
            FeatExtractActivation = c.String("feat_extract_activation", "gelu"),
            ConvDim = c.Ints("conv_dim", [512, 512, 512, 512, 512, 512, 512]),
            ConvStride = c.Ints("conv_stride", [5, 2, 2, 2, 2, 2, 2]),
            ConvKernel = c.Ints("conv_kernel", [10, 3, 3, 3, 3, 2, 2]),
            ConvBias = c.Bool("conv_bias", false),
            NumConvPosEmbeddings = c.Int("num_conv_pos_embeddings", 128),
            NumConvPosEmbeddingGroups = c.Int("num_conv_pos_embedding_groups", 16),
            DoStableLayerNorm = c.Bool("do_stable_layer_norm", false),
            FeatProjLayerNorm = !hubert || c.Bool("feat_proj_layer_norm", true),
            HasMaskedSpecEmbed = c.Double("mask_time_prob", 0.05) > 0 || c.Double("mask_feature_prob", 0) > 0,
            NumBuckets = c.ModelType == "wavlm" ? c.Int("num_buckets", 320) : 0,
            MaxBucketDistance = c.Int("max_bucket_distance", 800),
        };
    }

    /// <summary>Frames the conv feature encoder makes of <paramref name="samples"/> samples (20 ms each with the default strides).</summary>
    public long OutputFrames(long samples)
    {
        for (var i = 0; i < ConvKernel.Length; i++) samples = (samples - ConvKernel[i]) / ConvStride[i] + 1;
        return Math.Max(samples, 0);
    }
}
