namespace EmotionLab.Models.Pretrained.Beats;

/// <summary>
/// BEATs' config (Chen et al. 2023; microsoft/unilm beats/BEATs.py BEATsConfig, whose field names
/// and defaults config.json keeps, with model_type "beats"): tools/convert_beats_checkpoint.py
/// writes it from a released checkpoint's cfg. input_patch_size defaults to the released models'
/// 16 (BEATsConfig's -1 means "must be set"). The filterbank statistics are BEATs' preprocess
/// defaults, fields here so a lab's re-trained model can carry its own.
/// </summary>
public sealed record BeatsConfig
{
    public int InputPatchSize { get; init; } = 16;
    public int EmbedDim { get; init; } = 512;
    public bool ConvBias { get; init; }
    public int EncoderLayers { get; init; } = 12;
    public int EncoderEmbedDim { get; init; } = 768;
    public int EncoderFfnEmbedDim { get; init; } = 3072;
    public int EncoderAttentionHeads { get; init; } = 12;
    public string ActivationFn { get; init; } = "gelu";
    public bool LayerNormFirst { get; init; }

    /// <summary>DeepNet's post-norm: each residual branch's input scaled by (2 N)^(1/4) before the sum.</summary>
    public bool DeepNorm { get; init; }

    public double Dropout { get; init; } = 0.1;
    public double AttentionDropout { get; init; } = 0.1;
    public double ActivationDropout { get; init; }
    public double DropoutInput { get; init; }
    public int ConvPos { get; init; } = 128;
    public int ConvPosGroups { get; init; } = 16;
    public bool RelativePositionEmbedding { get; init; }
    public int NumBuckets { get; init; } = 320;
    public int MaxDistance { get; init; } = 1280;

    /// <summary>Gates the relative position bias per query, as WavLM (the gate from the projected query).</summary>
    public bool GruRelPos { get; init; }

    public double FbankMean { get; init; } = 15.41663;
    public double FbankStd { get; init; } = 6.55582;

    /// <summary>Kaldi filterbank bins: BEATs' preprocess computes 128.</summary>
    public int NumMelBins { get; init; } = 128;

    public static BeatsConfig From(PretrainedConfig c) => new()
    {
        InputPatchSize = c.Int("input_patch_size", 16),
        EmbedDim = c.Int("embed_dim", 512),
        ConvBias = c.Bool("conv_bias", false),
        EncoderLayers = c.Int("encoder_layers", 12),
        EncoderEmbedDim = c.Int("encoder_embed_dim", 768),
        EncoderFfnEmbedDim = c.Int("encoder_ffn_embed_dim", 3072),
        EncoderAttentionHeads = c.Int("encoder_attention_heads", 12),
        ActivationFn = c.String("activation_fn", "gelu"),
        LayerNormFirst = c.Bool("layer_norm_first", false),
        DeepNorm = c.Bool("deep_norm", false),
        Dropout = c.Double("dropout", 0.1),
        AttentionDropout = c.Double("attention_dropout", 0.1),
        ActivationDropout = c.Double("activation_dropout", 0.0),
        DropoutInput = c.Double("dropout_input", 0.0),
        ConvPos = c.Int("conv_pos", 128),
        ConvPosGroups = c.Int("conv_pos_groups", 16),
        RelativePositionEmbedding = c.Bool("relative_position_embedding", false),
        NumBuckets = c.Int("num_buckets", 320),
        MaxDistance = c.Int("max_distance", 1280),
        GruRelPos = c.Bool("gru_rel_pos", false),
        FbankMean = c.Double("fbank_mean", 15.41663),
        FbankStd = c.Double("fbank_std", 6.55582),
        NumMelBins = c.Int("num_mel_bins", 128),
    };
}
