using EmotionLab.Models.Audio;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Pretrained.Beats;

// BEATs (Chen et al., "BEATs: Audio Pre-Training with Acoustic Tokenizers", ICML 2023), following
// microsoft/unilm beats/BEATs.py and backbone.py (commit c68101b): a 128-bin Kaldi filterbank of
// the 2^15-scaled waveform, normalised by the pretraining statistics, cut into 16 x 16 patches
// (time-major: each 160 ms step gives 8 frequency patches), a linear patch embedding, LayerNorm,
// a projection to the encoder width, a weight-normed positional conv, and a post-norm transformer
// with DeepNet residual scaling and WavLM's gated relative position bias (its gate computed from
// the projected query; the bias from the first layer shared by all). Parameter names are the
// released checkpoints' (tools/convert_beats_checkpoint.py writes them as safetensors).
//
// Padding: the reference builds a padded batch's mask by splitting the sample mask evenly over
// the patches, which ignores their time-major order. Here each row's filterbank is computed from
// its real samples only and a patch is padding when its 16 frames pass that row's last whole
// 16-frame block, so every row's real positions equal a forward pass over that row alone.

/// <summary>
/// Multi-head self-attention with BEATs' gated relative position bias: each head's bias is scaled
/// per query by gate = a (b c - 1) + 2, with a, b sigmoids of a small projection of that query
/// and c a learned constant per head.
/// </summary>
internal sealed class BeatsAttention : Module
{
    private readonly int heads, headDim, buckets, maxDistance;
    private readonly double dropout;
    private readonly Linear k_proj, v_proj, q_proj, out_proj;
    private readonly Embedding? relative_attention_bias;
    private readonly Linear? grep_linear;
    private readonly Parameter? grep_a;

    /// <param name="computesBias">the first layer with relative positions: it holds the bucket embeddings the others share</param>
    public BeatsAttention(BeatsConfig config, bool computesBias)
    {
        var width = config.EncoderEmbedDim;
        if (width % config.EncoderAttentionHeads != 0)
            throw new TorchException($"beats: encoder_embed_dim {width} is not a multiple of encoder_attention_heads {config.EncoderAttentionHeads}");
        (heads, headDim, dropout) = (config.EncoderAttentionHeads, width / config.EncoderAttentionHeads, config.AttentionDropout);
        (buckets, maxDistance) = (config.NumBuckets, config.MaxDistance);
        if (config.RelativePositionEmbedding && computesBias) relative_attention_bias = register_module("relative_attention_bias", new Embedding(buckets, heads));
        k_proj = register_module("k_proj", new Linear(width, width));
        v_proj = register_module("v_proj", new Linear(width, width));
        q_proj = register_module("q_proj", new Linear(width, width));
        out_proj = register_module("out_proj", new Linear(width, width));
        if (!config.GruRelPos) return;
        grep_linear = register_module("grep_linear", new Linear(headDim, 8));
        grep_a = register_parameter("grep_a", new Parameter(torch.ones([1, heads, 1, 1])));
    }

    /// <summary>The first layer's position bias (H, T, T); null in the others and without relative positions.</summary>
    public Tensor? PositionBias(long length, Device device) =>
        relative_attention_bias?.forward(RelativePositionBuckets.Of(length, buckets, maxDistance, device)).permute(2, 0, 1);

    /// <summary>The attended output (B, T, D) and the position bias (H, T, T) the next layers reuse (null without relative positions).</summary>
    public (Tensor Output, Tensor? PositionBias) forward(Tensor x, Tensor? allowed, Tensor? positionBias) // (B, T, D), (B, 1, 1, T)
    {
        var (batch, length) = (x.size(0), x.size(1));
        Tensor Heads(Tensor y) => y.view(batch, length, heads, headDim).transpose(1, 2); // (B, H, T, hd)
        var q = Heads(q_proj.forward(x));
        positionBias ??= PositionBias(length, x.device);                           // (H, T, T)
        Tensor? mask = allowed;
        if (positionBias is not null)
        {
            var bias = positionBias.unsqueeze(0);                                 // (1, H, T, T)
            if (grep_linear is not null)
            {
                var gates = grep_linear.forward(q).view(batch, heads, length, 2, 4).sum(-1).sigmoid().chunk(2, -1); // 2 x (B, H, T, 1)
                bias = (gates[0] * (gates[1] * grep_a! - 1) + 2) * bias;          // (B, H, T, T)
            }
            mask = allowed is null ? bias : bias.masked_fill(allowed.logical_not(), double.NegativeInfinity);
        }
        var attended = functional.scaled_dot_product_attention(q, Heads(k_proj.forward(x)), Heads(v_proj.forward(x)), mask, training ? dropout : 0);
        return (out_proj.forward(attended.transpose(1, 2).reshape(batch, length, heads * headDim)), positionBias);
    }
}

/// <summary>
/// One transformer layer: post-norm with DeepNet scaling (x = LN(alpha x + f(x)) for attention
/// and feed-forward), or pre-norm (x = x + f(LN(x))) when layer_norm_first.
/// </summary>
internal sealed class BeatsEncoderLayer : Module
{
    private readonly bool preNorm;
    private readonly double alpha;
    private readonly string activation;
    private readonly BeatsAttention self_attn;
    private readonly Dropout dropout1, dropout2, dropout3;
    private readonly LayerNorm self_attn_layer_norm, final_layer_norm;
    private readonly Linear fc1, fc2;

    public BeatsEncoderLayer(BeatsConfig config, bool first)
    {
        (preNorm, activation) = (config.LayerNormFirst, config.ActivationFn);
        alpha = config.DeepNorm ? Math.Pow(2.0 * config.EncoderLayers, 0.25) : 1.0;
        self_attn = register_module("self_attn", new BeatsAttention(config, computesBias: first));
        dropout1 = register_module("dropout1", new Dropout(config.Dropout));
        dropout2 = register_module("dropout2", new Dropout(config.ActivationDropout));
        dropout3 = register_module("dropout3", new Dropout(config.Dropout));
        self_attn_layer_norm = register_module("self_attn_layer_norm", new LayerNorm(config.EncoderEmbedDim));
        fc1 = register_module("fc1", new Linear(config.EncoderEmbedDim, config.EncoderFfnEmbedDim));
        fc2 = register_module("fc2", new Linear(config.EncoderFfnEmbedDim, config.EncoderEmbedDim));
        final_layer_norm = register_module("final_layer_norm", new LayerNorm(config.EncoderEmbedDim));
    }

    public Tensor? PositionBias(long length, Device device) => self_attn.PositionBias(length, device);

    public (Tensor Output, Tensor? PositionBias) forward(Tensor x, Tensor? allowed, Tensor? positionBias) // (B, T, D)
    {
        Tensor FeedForward(Tensor y) => dropout3.forward(fc2.forward(dropout2.forward(Activation.Apply(activation, fc1.forward(y)))));
        Tensor attended;
        if (preNorm)
        {
            (attended, positionBias) = self_attn.forward(self_attn_layer_norm.forward(x), allowed, positionBias);
            x = x + dropout1.forward(attended);
            return (x + FeedForward(final_layer_norm.forward(x)), positionBias);
        }
        (attended, positionBias) = self_attn.forward(x, allowed, positionBias);
        x = self_attn_layer_norm.forward(x * alpha + dropout1.forward(attended));
        return (final_layer_norm.forward(x * alpha + FeedForward(x)), positionBias);
    }
}

/// <summary>The positional conv, the layers, and the encoder LayerNorm (after the conv in post-norm, after the layers in pre-norm).</summary>
internal sealed class BeatsEncoder : Module
{
    private readonly bool preNorm;
    private readonly double dropoutRate;
    private readonly WeightNormConv1d conv;
    private readonly LayerNorm layer_norm;

    public BeatsEncoder(BeatsConfig config)
    {
        (preNorm, dropoutRate) = (config.LayerNormFirst, config.Dropout);
        // fairseq's Sequential(conv, SamePad, GELU): the conv is entry "0" of pos_conv.
        conv = new WeightNormConv1d(config.EncoderEmbedDim, config.ConvPos, config.ConvPosGroups);
        register_module("pos_conv", new ModuleList<WeightNormConv1d>(conv));
        layers = register_module("layers", new ModuleList<BeatsEncoderLayer>());
        for (var i = 0; i < config.EncoderLayers; i++) layers.append(new BeatsEncoderLayer(config, first: i == 0));
        layer_norm = register_module("layer_norm", new LayerNorm(config.EncoderEmbedDim));
    }

    public ModuleList<BeatsEncoderLayer> layers { get; }

    public List<Tensor> forward(Tensor x, Tensor? real)                           // (B, T, D), (B, T) true at real patches
    {
        Tensor? allowed = null;
        if (real is not null)
        {
            x = x * real.unsqueeze(2).to(x.dtype);                               // padding is zero before the positional conv, as the reference
            allowed = real.view(real.size(0), 1, 1, real.size(1));
        }
        x = x + conv.forward(x.transpose(1, 2)).gelu().transpose(1, 2);
        if (!preNorm) x = layer_norm.forward(x);
        x = functional.dropout(x, dropoutRate, training);
        var hidden = new List<Tensor>();
        RunLayers(x, allowed, first: 0, hidden);
        return hidden;
    }

    /// <summary>Layers from <paramref name="first"/> on over hidden state <paramref name="first"/>: the last hidden state (B, T, D).</summary>
    public Tensor ForwardFrom(int first, Tensor x, Tensor? real) =>
        RunLayers(x, real?.view(real.size(0), 1, 1, real.size(1)), first, hidden: null);

    // The position bias comes from the first layer's embeddings, also when running from a later layer.
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

/// <summary>BEATs: 16 kHz waveform to one hidden state per 16-frame x 16-mel filterbank patch (8 per 160 ms), with every layer's states.</summary>
public sealed class BeatsModel : PretrainedSpeechModel
{
    private readonly BeatsConfig config;
    private readonly Conv2d patch_embedding;
    private readonly LayerNorm layer_norm;
    private readonly Linear? post_extract_proj;
    private readonly Dropout dropout_input;
    private readonly BeatsEncoder encoder;
    private readonly KaldiFbank fbank;

    public BeatsModel(BeatsConfig config)
    {
        this.config = config;
        if (!Activation.Names.Contains(config.ActivationFn))
            throw new TorchException($"beats: activation_fn '{config.ActivationFn}' is not supported; one of {string.Join(", ", Activation.Names)}");
        if (config.NumMelBins % config.InputPatchSize != 0)
            throw new TorchException($"beats: num_mel_bins {config.NumMelBins} is not a multiple of input_patch_size {config.InputPatchSize}");
        fbank = new KaldiFbank(config.NumMelBins);
        var patch = config.InputPatchSize;
        patch_embedding = register_module("patch_embedding", new Conv2d(1, config.EmbedDim, [patch, patch], [patch, patch], hasBias: config.ConvBias));
        layer_norm = register_module("layer_norm", new LayerNorm(config.EmbedDim));
        if (config.EmbedDim != config.EncoderEmbedDim)
            post_extract_proj = register_module("post_extract_proj", new Linear(config.EmbedDim, config.EncoderEmbedDim));
        dropout_input = register_module("dropout_input", new Dropout(config.DropoutInput));
        encoder = register_module("encoder", new BeatsEncoder(config));
    }

    public BeatsConfig Config => config;
    public override string ModelType => "beats";
    public override int HiddenSize => config.EncoderEmbedDim;
    public override int LayerCount => config.EncoderLayers;

    // A fine-tuned checkpoint's AudioSet classifier; PyTorch saves the shared bucket embeddings once per layer.
    protected override IReadOnlyList<string> UnusedPrefixes =>
        ["predictor.", .. Enumerable.Range(1, Math.Max(0, LayerCount - 1)).Select(i => $"encoder.layers.{i}.self_attn.relative_attention_bias.")];

    public override IReadOnlyList<string> LayerPrefixes() => Enumerable.Range(0, LayerCount).Select(i => $"encoder.layers.{i}").ToList();

    // One patch of filterbank frames: 25 ms + (patch - 1) x 10 ms.
    public override int MinimumSamples => fbank.WindowSize + (config.InputPatchSize - 1) * fbank.WindowShift;

    // BEATs reads the raw waveform; its filterbank is normalised instead.
    public override bool NormalizesByDefault => false;

    public override EncoderOutput forward(Tensor waveform, long[]? lengths = null)
    {
        var batch = waveform.size(0);
        var frequencyPatches = config.NumMelBins / config.InputPatchSize;
        var features = Filterbanks(waveform, lengths, out var timePatches);      // (B, F, mels)
        var x = patch_embedding.forward(features.unsqueeze(1));                   // (B, E, F / 16, mels / 16)
        x = layer_norm.forward(x.reshape(batch, x.size(1), -1).transpose(1, 2));  // (B, T, E), T = F / 16 x mels / 16, time-major
        if (post_extract_proj is not null) x = post_extract_proj.forward(x);      // (B, T, D)
        x = dropout_input.forward(x);
        var length = x.size(1);
        using var counts = torch.tensor(timePatches.Select(t => t * frequencyPatches).ToArray()).unsqueeze(1);
        var real = torch.arange(length, device: waveform.device).unsqueeze(0).lt(counts.to(waveform.device)); // (B, T)
        var hidden = encoder.forward(x, lengths is null ? null : real);
        return new EncoderOutput(hidden[^1], hidden, real.logical_not());
    }

    public override Tensor forward_from(int hiddenState, Tensor hidden, Tensor? padding) =>
        hiddenState == LayerCount ? hidden : encoder.ForwardFrom(hiddenState, hidden, padding?.logical_not());

    // Each row's filterbank from its own samples (scaled to 16-bit range as BEATs' preprocess),
    // normalised, zero-padded to the longest; the whole 16-frame blocks per row come back.
    private Tensor Filterbanks(Tensor waveform, long[]? lengths, out long[] timePatches)
    {
        var (batch, samples) = ((int)waveform.size(0), (int)waveform.size(1));
        if (lengths is not null && lengths.Length != batch) throw new TorchException($"beats: {lengths.Length} lengths for a batch of {batch}");
        using var cpu = waveform.detach().to(ScalarType.Float32).cpu().contiguous();
        var data = cpu.data<float>();
        var rows = new FeatureMatrix[batch];
        for (var b = 0; b < batch; b++)
        {
            var length = (int)Math.Min(lengths?[b] ?? samples, samples);
            var row = new float[Math.Max(length, MinimumSamples)];
            for (var i = 0; i < length; i++) row[i] = data[(long)b * samples + i] * 32768f;
            rows[b] = fbank.Compute(row);
        }
        timePatches = rows.Select(r => (long)(r.Frames / config.InputPatchSize)).ToArray();
        var frames = rows.Max(r => r.Frames);
        var values = new float[(long)batch * frames * config.NumMelBins];
        var (mean, scale) = ((float)config.FbankMean, (float)(2 * config.FbankStd));
        for (var b = 0; b < batch; b++)
            for (var i = 0; i < rows[b].Values.Length; i++) values[(long)b * frames * config.NumMelBins + i] = (rows[b].Values[i] - mean) / scale;
        return torch.tensor(values, [batch, frames, config.NumMelBins], waveform.device).to(patch_embedding.weight.dtype);
    }
}
