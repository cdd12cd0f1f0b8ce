using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Pretrained.Wav2Vec2;

// wav2vec 2.0 (Baevski et al. 2020), HuBERT (Hsu et al. 2021) and WavLM (Chen et al. 2022),
// following HF transformers' modeling_wav2vec2.py / modeling_hubert.py / modeling_wavlm.py (v4.46):
// a conv feature encoder over the raw 16 kHz waveform (20 ms frames), a feature projection, a
// convolutional positional embedding with weight norm, and a post-norm (base) or pre-norm "stable
// layer norm" (large) transformer; WavLM's attention adds a gated relative position bias, the
// bias computed by the first layer and shared by all. Names are HF's.
// SpecAugment masking during fine-tuning is not applied: the encoders here are frozen or tuned in
// their last layers on already-short utterances.

/// <summary>One conv layer of the feature encoder: conv, then (per feat_extract_norm) GroupNorm or LayerNorm, then the activation.</summary>
internal sealed class Wav2Vec2ConvLayer : Module
{
    private readonly string activation;
    private readonly Conv1d conv;
    private readonly GroupNorm? groupNorm;
    private readonly LayerNorm? layerNorm;

    public Wav2Vec2ConvLayer(Wav2Vec2Config config, int index)
    {
        activation = config.FeatExtractActivation;
        var (inputs, outputs) = (index == 0 ? 1 : config.ConvDim[index - 1], config.ConvDim[index]);
        conv = register_module("conv", new Conv1d(inputs, outputs, config.ConvKernel[index], config.ConvStride[index], hasBias: config.ConvBias));
        if (config.FeatExtractNorm == "layer") layerNorm = register_module("layer_norm", new LayerNorm(outputs));
        else if (index == 0) groupNorm = register_module("layer_norm", new GroupNorm(outputs, outputs)); // one group per channel, as HF
    }

    public Tensor forward(Tensor x)                                               // (B, C_in, L) -> (B, C_out, L')
    {
        x = conv.forward(x);
        if (groupNorm is not null) x = groupNorm.forward(x);
        if (layerNorm is not null) x = layerNorm.forward(x.transpose(1, 2)).transpose(1, 2);
        return Activation.Apply(activation, x);
    }
}

/// <summary>The conv feature encoder: waveform (B, L) to frames (B, C, T).</summary>
internal sealed class Wav2Vec2FeatureEncoder : Module
{
    public Wav2Vec2FeatureEncoder(Wav2Vec2Config config)
    {
        conv_layers = register_module("conv_layers", new ModuleList<Wav2Vec2ConvLayer>());
        for (var i = 0; i < config.ConvDim.Length; i++) conv_layers.append(new Wav2Vec2ConvLayer(config, i));
    }

    public ModuleList<Wav2Vec2ConvLayer> conv_layers { get; }

    public Tensor forward(Tensor waveform)
    {
        var x = waveform.unsqueeze(1);                                            // (B, 1, L)
        foreach (var layer in conv_layers) x = layer.forward(x);
        return x;                                                                 // (B, C, T)
    }
}

/// <summary>LayerNorm (optional in HuBERT) and a projection from conv channels to the transformer width.</summary>
internal sealed class Wav2Vec2FeatureProjection : Module
{
    private readonly LayerNorm? layer_norm;
    private readonly Linear projection;
    private readonly Dropout dropout;

    public Wav2Vec2FeatureProjection(Wav2Vec2Config config)
    {
        if (config.FeatProjLayerNorm) layer_norm = register_module("layer_norm", new LayerNorm(config.ConvDim[^1], config.LayerNormEps));
        projection = register_module("projection", new Linear(config.ConvDim[^1], config.HiddenSize));
        dropout = register_module("dropout", new Dropout(config.FeatProjDropout));
    }

    public Tensor forward(Tensor x) => dropout.forward(projection.forward(layer_norm?.forward(x) ?? x)); // (B, T, C) -> (B, T, D)
}

/// <summary>The positional conv embedding: a weight-normed grouped conv over time, then the activation.</summary>
internal sealed class Wav2Vec2PositionalConvEmbedding : Module
{
    private readonly string activation;
    private readonly WeightNormConv1d conv;

    public Wav2Vec2PositionalConvEmbedding(Wav2Vec2Config config)
    {
        activation = config.FeatExtractActivation;
        conv = register_module("conv", new WeightNormConv1d(config.HiddenSize, config.NumConvPosEmbeddings, config.NumConvPosEmbeddingGroups));
    }

    public Tensor forward(Tensor x) => Activation.Apply(activation, conv.forward(x.transpose(1, 2))).transpose(1, 2); // (B, T, D) -> (B, T, D)
}

/// <summary>
/// Multi-head attention with q/k/v/out projections (HF's Wav2Vec2Attention); for WavLM also the
/// gated relative position bias (HF's WavLMAttention): each head's bias is scaled per query by a
/// gate computed from that query's input, gate = a (b c - 1) + 2 with a, b sigmoids of a small
/// projection and c a learned constant per head.
/// </summary>
internal sealed class Wav2Vec2Attention : Module
{
    private readonly int heads, headDim, buckets, maxDistance;
    private readonly double dropout;
    private readonly Linear q_proj, k_proj, v_proj, out_proj;
    private readonly Parameter? gru_rel_pos_const;
    private readonly Linear? gru_rel_pos_linear;
    private readonly Embedding? rel_attn_embed;

    /// <param name="computesBias">WavLM's first layer: it holds the bucket embeddings and computes the bias the others reuse</param>
    public Wav2Vec2Attention(Wav2Vec2Config config, bool computesBias)
    {
        if (config.HiddenSize % config.NumAttentionHeads != 0)
            throw new TorchException($"{config.ModelType}: hidden_size {config.HiddenSize} is not a multiple of num_attention_heads {config.NumAttentionHeads}");
        (heads, headDim, dropout) = (config.NumAttentionHeads, config.HiddenSize / config.NumAttentionHeads, config.AttentionDropout);
        (buckets, maxDistance) = (config.NumBuckets, config.MaxBucketDistance);
        k_proj = register_module("k_proj", new Linear(config.HiddenSize, config.HiddenSize));
        v_proj = register_module("v_proj", new Linear(config.HiddenSize, config.HiddenSize));
        q_proj = register_module("q_proj", new Linear(config.HiddenSize, config.HiddenSize));
        out_proj = register_module("out_proj", new Linear(config.HiddenSize, config.HiddenSize));
        if (buckets == 0) return;
        gru_rel_pos_const = register_parameter("gru_rel_pos_const", new Parameter(torch.ones([1, heads, 1, 1])));
        gru_rel_pos_linear = register_module("gru_rel_pos_linear", new Linear(headDim, 8));
        if (computesBias) rel_attn_embed = register_module("rel_attn_embed", new Embedding(buckets, heads));
    }

    /// <summary>The attended output (B, T, D) and WavLM's position bias (H, T, T) for the next layers (null without).</summary>
    public (Tensor Output, Tensor? PositionBias) forward(Tensor x, Tensor? allowed, Tensor? positionBias) // (B, T, D), (B, 1, 1, T)
    {
        var (batch, length) = (x.size(0), x.size(1));
        Tensor Heads(Linear projection) => projection.forward(x).view(batch, length, heads, headDim).transpose(1, 2); // (B, H, T, hd)
        Tensor? mask = allowed;
        if (gru_rel_pos_linear is not null)
        {
            positionBias ??= RelativePositionBias(length, x.device);              // (H, T, T)
            var gates = gru_rel_pos_linear.forward(x.view(batch, length, heads, headDim).transpose(1, 2)) // (B, H, T, 8)
                .view(batch, heads, length, 2, 4).sum(-1).sigmoid().chunk(2, -1);  // 2 x (B, H, T, 1)
            var gate = gates[0] * (gates[1] * gru_rel_pos_const! - 1) + 2;
            mask = gate * positionBias.unsqueeze(0);                              // (B, H, T, T), added to the scores
            if (allowed is not null) mask = mask.masked_fill(allowed.logical_not(), double.NegativeInfinity);
        }
        var attended = functional.scaled_dot_product_attention(Heads(q_proj), Heads(k_proj), Heads(v_proj), mask, training ? dropout : 0);
        return (out_proj.forward(attended.transpose(1, 2).reshape(batch, length, heads * headDim)), positionBias);
    }

    /// <summary>WavLM's position bias (H, T, T) from the first layer's bucket embeddings; null for wav2vec 2.0 and HuBERT.</summary>
    public Tensor? PositionBias(long length, Device device) => rel_attn_embed is null ? null : RelativePositionBias(length, device);

    private Tensor RelativePositionBias(long length, Device device)
    {
        if (rel_attn_embed is null) throw new TorchException("WavLM: the first layer computes the position bias; a later layer was given none");
        return rel_attn_embed.forward(RelativePositionBuckets.Of(length, buckets, maxDistance, device)).permute(2, 0, 1); // (H, T, T)
    }
}

/// <summary>The position-wise feed-forward: dense, activation, dropout, dense, dropout.</summary>
internal sealed class Wav2Vec2FeedForward : Module
{
    private readonly string activation;
    private readonly Dropout intermediate_dropout, output_dropout;
    private readonly Linear intermediate_dense, output_dense;

    public Wav2Vec2FeedForward(Wav2Vec2Config config)
    {
        activation = config.HiddenAct;
        intermediate_dropout = register_module("intermediate_dropout", new Dropout(config.ActivationDropout));
        intermediate_dense = register_module("intermediate_dense", new Linear(config.HiddenSize, config.IntermediateSize));
        output_dense = register_module("output_dense", new Linear(config.IntermediateSize, config.HiddenSize));
        output_dropout = register_module("output_dropout", new Dropout(config.HiddenDropout));
    }

    public Tensor forward(Tensor x) =>
        output_dropout.forward(output_dense.forward(intermediate_dropout.forward(Activation.Apply(activation, intermediate_dense.forward(x)))));
}

/// <summary>One transformer layer, post-norm (base) or pre-norm (stable layer norm).</summary>
internal sealed class Wav2Vec2EncoderLayer : Module
{
    private readonly bool preNorm;
    private readonly Wav2Vec2Attention attention;
    private readonly Dropout dropout;
    private readonly LayerNorm layer_norm, final_layer_norm;
    private readonly Wav2Vec2FeedForward feed_forward;

    public Wav2Vec2EncoderLayer(Wav2Vec2Config config, bool first)
    {
        preNorm = config.DoStableLayerNorm;
        attention = register_module("attention", new Wav2Vec2Attention(config, computesBias: first));
        dropout = register_module("dropout", new Dropout(config.HiddenDropout));
        layer_norm = register_module("layer_norm", new LayerNorm(config.HiddenSize, config.LayerNormEps));
        feed_forward = register_module("feed_forward", new Wav2Vec2FeedForward(config));
        final_layer_norm = register_module("final_layer_norm", new LayerNorm(config.HiddenSize, config.LayerNormEps));
    }

    public Tensor? PositionBias(long length, Device device) => attention.PositionBias(length, device);

    public (Tensor Output, Tensor? PositionBias) forward(Tensor x, Tensor? allowed, Tensor? positionBias)
    {
        if (preNorm)
        {
            var (attended, bias) = attention.forward(layer_norm.forward(x), allowed, positionBias);
            x = x + dropout.forward(attended);
            return (x + feed_forward.forward(final_layer_norm.forward(x)), bias);
        }
        var (output, nextBias) = attention.forward(x, allowed, positionBias);
        x = layer_norm.forward(x + dropout.forward(output));
        return (final_layer_norm.forward(x + feed_forward.forward(x)), nextBias);
    }
}

/// <summary>Positional conv, the layer stack and the encoder's LayerNorm (before the layers when post-norm, after them when pre-norm).</summary>
internal sealed class Wav2Vec2Encoder : Module
{
    private readonly bool preNorm;
    private readonly Wav2Vec2PositionalConvEmbedding pos_conv_embed;
    private readonly LayerNorm layer_norm;
    private readonly Dropout dropout;

    public Wav2Vec2Encoder(Wav2Vec2Config config)
    {
        preNorm = config.DoStableLayerNorm;
        pos_conv_embed = register_module("pos_conv_embed", new Wav2Vec2PositionalConvEmbedding(config));
        layer_norm = register_module("layer_norm", new LayerNorm(config.HiddenSize, config.LayerNormEps));
        dropout = register_module("dropout", new Dropout(config.HiddenDropout));
        layers = register_module("layers", new ModuleList<Wav2Vec2EncoderLayer>());
        for (var i = 0; i < config.NumHiddenLayers; i++) layers.append(new Wav2Vec2EncoderLayer(config, first: i == 0));
    }

    public ModuleList<Wav2Vec2EncoderLayer> layers { get; }

    public List<Tensor> forward(Tensor x, Tensor? real)                           // (B, T, D), (B, T) true at real frames
    {
        Tensor? allowed = null;
        if (real is not null)
        {
            x = x * real.unsqueeze(2).to(x.dtype);                               // padded frames are zero before the positional conv, as HF
            allowed = real.view(real.size(0), 1, 1, real.size(1));
        }
        x = x + pos_conv_embed.forward(x);
        if (!preNorm) x = layer_norm.forward(x);
        x = dropout.forward(x);
        var hidden = new List<Tensor>();
        RunLayers(x, allowed, first: 0, hidden);
        return hidden;
    }

    /// <summary>Layers from <paramref name="first"/> on over hidden state <paramref name="first"/>: the last hidden state (B, T, D).</summary>
    public Tensor ForwardFrom(int first, Tensor x, Tensor? real) =>
        RunLayers(x, real?.view(real.size(0), 1, 1, real.size(1)), first, hidden: null);

    // WavLM's bias comes from the first layer's embeddings, also when running from a later layer.
    private Tensor RunLayers(Tensor x, Tensor? allowed, int first, List<Tensor>? hidden)
    {
        var positionBias = first > 0 ? layers[0].PositionBias(x.size(1), x.device) : null;
        for (var i = first; i < layers.Count; i++)
        {
            hidden?.Add(x);
            (x, positionBias) = layers[i].forward(x, allowed, positionBias);
        }
        if (preNorm) x = layer_norm.forward(x);
        hidden?.Add(x);
        return x;
    }
}

/// <summary>wav2vec 2.0 / HuBERT / WavLM: 16 kHz waveform to one hidden state per 20 ms frame, with every layer's states.</summary>
public sealed class Wav2Vec2Model : PretrainedSpeechModel
{
    private readonly Wav2Vec2Config config;
    private readonly Wav2Vec2FeatureEncoder feature_extractor;
    private readonly Wav2Vec2FeatureProjection feature_projection;
    private readonly Wav2Vec2Encoder encoder;

    public Wav2Vec2Model(Wav2Vec2Config config)
    {
        this.config = config;
        if (config.HasMaskedSpecEmbed) register_parameter("masked_spec_embed", new Parameter(torch.rand([config.HiddenSize])));
        feature_extractor = register_module("feature_extractor", new Wav2Vec2FeatureEncoder(config));
        feature_projection = register_module("feature_projection", new Wav2Vec2FeatureProjection(config));
        encoder = register_module("encoder", new Wav2Vec2Encoder(config));
    }

    public Wav2Vec2Config Config => config;
    public override string ModelType => config.ModelType;
    public override int HiddenSize => config.HiddenSize;
    public override int LayerCount => config.NumHiddenLayers;
    protected override IReadOnlyList<string> TaskPrefixes => ["wav2vec2.", "hubert.", "wavlm."];
    protected override IReadOnlyList<string> UnusedPrefixes =>
        ["quantizer.", "project_q.", "project_hid.", "lm_head.", "projector.", "classifier.", "final_proj.", "label_embeddings_concat", "dropout_features"];

    // Weight norm saved by torch's newer parametrizations API: original0 is g, original1 is v.
    protected override string Rename(string name) => name
        .Replace("pos_conv_embed.conv.parametrizations.weight.original0", "pos_conv_embed.conv.weight_g")
        .Replace("pos_conv_embed.conv.parametrizations.weight.original1", "pos_conv_embed.conv.weight_v");

    public override IReadOnlyList<string> LayerPrefixes() => Enumerable.Range(0, LayerCount).Select(i => $"encoder.layers.{i}").ToList();

    // The conv feature encoder's receptive field (25 ms with the default kernels and strides).
    public override int MinimumSamples => (int)Enumerable.Range(0, config.ConvKernel.Length).Reverse()
        .Aggregate(1L, (frames, i) => (frames - 1) * config.ConvStride[i] + config.ConvKernel[i]);

    // HF's Wav2Vec2FeatureExtractor standardises each utterance unless the folder says otherwise.
    public override bool NormalizesByDefault => true;

    /// <summary>Waveforms as the folder's preprocessor_config.json prepares them (standardised per utterance unless do_normalize is false).</summary>
    public override EncoderOutput forward(Tensor waveform, long[]? lengths = null)
    {
        var frames = feature_extractor.forward(waveform).transpose(1, 2);          // (B, T, C)
        var length = frames.size(1);
        Tensor? real = null;
        if (lengths is not null)
        {
            var frameCounts = lengths.Select(config.OutputFrames).ToArray();
            using var counts = torch.tensor(frameCounts).unsqueeze(1);
            real = torch.arange(length, device: waveform.device).unsqueeze(0).lt(counts.to(waveform.device)); // (B, T)
        }
        var hidden = encoder.forward(feature_projection.forward(frames), real);
        var padding = real?.logical_not() ?? torch.zeros([waveform.size(0), length], torch.@bool, waveform.device);
        return new EncoderOutput(hidden[^1], hidden, padding);
    }

    public override Tensor forward_from(int hiddenState, Tensor hidden, Tensor? padding) =>
        hiddenState == LayerCount ? hidden : encoder.ForwardFrom(hiddenState, hidden, padding?.logical_not());
}
