using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained.Llama;

/// <summary>
/// LLaMA's and Qwen2's config.json (HF LlamaConfig / Qwen2Config, defaults as there). Qwen2 is
/// LLaMA with biases on the q/k/v projections (and, in its small models, tied embeddings): one
/// model serves both. Sliding-window attention (Qwen2's use_sliding_window, off by default) is
/// not supported.
/// </summary>
public sealed record LlamaConfig
{
    public string ModelType { get; init; } = "llama";
    public int VocabSize { get; init; } = 32000;
    public int HiddenSize { get; init; } = 4096;
    public int IntermediateSize { get; init; } = 11008;
    public int NumHiddenLayers { get; init; } = 32;
    public int NumAttentionHeads { get; init; } = 32;
    public int NumKeyValueHeads { get; init; } = 32;
    public int HeadDim { get; init; } = 128;
    public string HiddenAct { get; init; } = "silu";
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000;
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Biases on q/k/v (Qwen2; LLaMA's attention_bias puts them on o_proj too).</summary>
    public bool QkvBias { get; init; }
    public bool OutputBias { get; init; }
    public bool MlpBias { get; init; }
    public double AttentionDropout { get; init; }

    /// <summary>rope_scaling's type: "default", "linear" or "llama3", with its fields.</summary>
    public string RopeType { get; init; } = "default";
    public double RopeFactor { get; init; } = 1;
    public double RopeLowFreqFactor { get; init; } = 1;
    public double RopeHighFreqFactor { get; init; } = 4;
    public int RopeOriginalMaxPositions { get; init; } = 8192;

    public static LlamaConfig From(PretrainedConfig c)
    {
        var qwen = c.ModelType == "qwen2";
        if (c.Bool("use_sliding_window", false))
            throw new TorchException($"{c.ModelType}: use_sliding_window is true; sliding-window attention is not supported (set it false: Qwen2 models are trained without it by default)");
        var hidden = c.Int("hidden_size", 4096);
        var heads = c.Int("num_attention_heads", 32);
        var attentionBias = c.Bool("attention_bias", false);
        var scaling = c.Object("rope_scaling");
        var ropeType = scaling is null ? "default" : (scaling["rope_type"] ?? scaling["type"])?.GetValue<string>() ?? "default";
        if (ropeType is not ("default" or "linear" or "llama3"))
            throw new TorchException($"{c.ModelType}: rope_scaling type '{ropeType}' is not supported (default, linear or llama3)");
        double Scaling(string key, double fallback) => scaling is null ? fallback : new PretrainedConfig(scaling).Double(key, fallback);
        return new()
        {
            ModelType = c.ModelType,
            VocabSize = c.Int("vocab_size", qwen ? 151936 : 32000),
            HiddenSize = hidden,
            IntermediateSize = c.Int("intermediate_size", qwen ? 22016 : 11008),
            NumHiddenLayers = c.Int("num_hidden_layers", 32),
            NumAttentionHeads = heads,
            NumKeyValueHeads = c.Int("num_key_value_heads", heads),
            HeadDim = c.Int("head_dim", hidden / heads),
            HiddenAct = c.String("hidden_act", "silu"),
            MaxPositionEmbeddings = c.Int("max_position_embeddings", qwen ? 32768 : 2048),
            RmsNormEps = c.Double("rms_norm_eps", 1e-6),
            RopeTheta = c.Double("rope_theta", 10000),
            TieWordEmbeddings = c.Bool("tie_word_embeddings", false),
            QkvBias = qwen || attentionBias,
            OutputBias = !qwen && attentionBias,
            MlpBias = c.Bool("mlp_bias", false),
            AttentionDropout = c.Double("attention_dropout", 0),
            RopeType = ropeType,
            RopeFactor = Scaling("factor", 1),
            RopeLowFreqFactor = Scaling("low_freq_factor", 1),
            RopeHighFreqFactor = Scaling("high_freq_factor", 4),
            RopeOriginalMaxPositions = (int)Scaling("original_max_position_embeddings", 8192),
        };
    }

    /// <summary>The rotary inverse frequencies (head_dim / 2), with rope_scaling applied as HF's rope init functions do.</summary>
    public float[] InverseFrequencies()
    {
        var half = HeadDim / 2;
        var inv = new double[half];
        for (var i = 0; i < half; i++) inv[i] = 1.0 / Math.Pow(RopeTheta, 2.0 * i / HeadDim);
        if (RopeType == "linear") for (var i = 0; i < half; i++) inv[i] /= RopeFactor;
        if (RopeType == "llama3")
        {
            var lowWavelen = RopeOriginalMaxPositions / RopeLowFreqFactor;
            var highWavelen = RopeOriginalMaxPositions / RopeHighFreqFactor;
            for (var i = 0; i < half; i++)
            {
                var wavelen = 2 * Math.PI / inv[i];
                if (wavelen > lowWavelen) inv[i] /= RopeFactor;                   // long wavelengths: interpolated
                else if (wavelen >= highWavelen)                                  // between: a smooth blend
                {
                    var smooth = (RopeOriginalMaxPositions / wavelen - RopeLowFreqFactor) / (RopeHighFreqFactor - RopeLowFreqFactor);
                    inv[i] = (1 - smooth) * inv[i] / RopeFactor + smooth * inv[i];
                }
            }
        }
        return inv.Select(v => (float)v).ToArray();
    }
}
