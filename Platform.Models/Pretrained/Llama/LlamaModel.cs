using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Pretrained.Llama;

// LLaMA (Touvron et al. 2023) and Qwen2 (Yang et al. 2024), following HF transformers'
// modeling_llama.py / modeling_qwen2.py (v4.46): RMSNorm, rotary position embeddings with
// rope_theta, grouped-query attention, a SwiGLU MLP, pre-norm decoder layers. Names are HF's
// LlamaForCausalLM / Qwen2ForCausalLM ("model." + "lm_head."), so their folders load as they are.

/// <summary>x / rms(x) * weight, the statistics in float32 whatever the compute dtype.</summary>
internal sealed class LlamaRMSNorm : Module
{
    private readonly double eps;
    private readonly Parameter weight;

    public LlamaRMSNorm(int size, double eps)
    {
        this.eps = eps;
        weight = register_parameter("weight", new Parameter(torch.ones([size])));
    }

    public Tensor forward(Tensor x)
    {
        var x32 = x.to(torch.float32);
        var normed = x32 * (x32.square().mean(-1, keepdim: true) + eps).rsqrt();
        return weight * normed.to(x.dtype);
    }
}

/// <summary>Rotary embedding: cos and sin (B, T, head_dim) for the positions, from the config's inverse frequencies.</summary>
internal sealed class LlamaRotaryEmbedding
{
    private readonly float[] inverseFrequencies;

    public LlamaRotaryEmbedding(LlamaConfig config) => inverseFrequencies = config.InverseFrequencies();

    public (Tensor cos, Tensor sin) forward(Tensor positions, ScalarType dtype) // positions (B, T) int64
    {
        using var inv = torch.tensor(inverseFrequencies).to(positions.device);  // (hd/2)
        var freqs = positions.to(torch.float32).unsqueeze(2) * inv;               // (B, T, hd/2)
        var angles = torch.cat([freqs, freqs], -1);                               // (B, T, hd)
        return (angles.cos().to(dtype), angles.sin().to(dtype));
    }

    /// <summary>Rotates q or k (B, heads, T, hd) by the position angles.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var half = x.size(-1) / 2;
        var rotated = torch.cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1); // rotate_half
        return x * cos.unsqueeze(1) + rotated * sin.unsqueeze(1);
    }
}

/// <summary>Grouped-query self-attention: H query heads share H_kv key/value heads.</summary>
internal sealed class LlamaAttention : Module
{
    private readonly int heads, kvHeads, headDim;
    private readonly double dropout;
    private readonly Linear q_proj, k_proj, v_proj, o_proj;

    public LlamaAttention(LlamaConfig config)
    {
        if (config.NumAttentionHeads % config.NumKeyValueHeads != 0)
            throw new TorchException($"{config.ModelType}: num_attention_heads {config.NumAttentionHeads} is not a multiple of num_key_value_heads {config.NumKeyValueHeads}");
        (heads, kvHeads, headDim, dropout) = (config.NumAttentionHeads, config.NumKeyValueHeads, config.HeadDim, config.AttentionDropout);
        q_proj = register_module("q_proj", new Linear(config.HiddenSize, heads * headDim, config.QkvBias));
        k_proj = register_module("k_proj", new Linear(config.HiddenSize, kvHeads * headDim, config.QkvBias));
        v_proj = register_module("v_proj", new Linear(config.HiddenSize, kvHeads * headDim, config.QkvBias));
        o_proj = register_module("o_proj", new Linear(heads * headDim, config.HiddenSize, config.OutputBias));
    }

    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor allowed)       // (B, T, D), (B, T, hd) x2, (B, 1, T, T)
    {
        var (batch, length) = (x.size(0), x.size(1));
        var q = q_proj.forward(x).view(batch, length, heads, headDim).transpose(1, 2);    // (B, H, T, hd)
        var k = k_proj.forward(x).view(batch, length, kvHeads, headDim).transpose(1, 2);  // (B, H_kv, T, hd)
        var v = v_proj.forward(x).view(batch, length, kvHeads, headDim).transpose(1, 2);
        (q, k) = (LlamaRotaryEmbedding.Apply(q, cos, sin), LlamaRotaryEmbedding.Apply(k, cos, sin));
        (k, v) = (RepeatKv(k), RepeatKv(v));                                      // (B, H, T, hd)
        var attended = functional.scaled_dot_product_attention(q, k, v, allowed, training ? dropout : 0);
        return o_proj.forward(attended.transpose(1, 2).reshape(batch, length, heads * headDim));
    }

    private Tensor RepeatKv(Tensor x)
    {
        var groups = heads / kvHeads;
        if (groups == 1) return x;
        var (b, t) = (x.size(0), x.size(2));
        return x.unsqueeze(2).expand(b, kvHeads, groups, t, headDim).reshape(b, heads, t, headDim);
    }
}

/// <summary>SwiGLU feed-forward: down(act(gate(x)) * up(x)).</summary>
internal sealed class LlamaMLP : Module
{
    private readonly string activation;
    private readonly Linear gate_proj, up_proj, down_proj;

    public LlamaMLP(LlamaConfig config)
    {
        activation = config.HiddenAct;
        gate_proj = register_module("gate_proj", new Linear(config.HiddenSize, config.IntermediateSize, config.MlpBias));
        up_proj = register_module("up_proj", new Linear(config.HiddenSize, config.IntermediateSize, config.MlpBias));
        down_proj = register_module("down_proj", new Linear(config.IntermediateSize, config.HiddenSize, config.MlpBias));
    }

    public Tensor forward(Tensor x) => down_proj.forward(Activation.Apply(activation, gate_proj.forward(x)) * up_proj.forward(x));
}

/// <summary>Pre-norm decoder layer: x + attn(norm(x)), then x + mlp(norm(x)).</summary>
internal sealed class LlamaDecoderLayer : Module
{
    private readonly LlamaAttention self_attn;
    private readonly LlamaMLP mlp;
    private readonly LlamaRMSNorm input_layernorm, post_attention_layernorm;

    public LlamaDecoderLayer(LlamaConfig config)
    {
        self_attn = register_module("self_attn", new LlamaAttention(config));
        mlp = register_module("mlp", new LlamaMLP(config));
        input_layernorm = register_module("input_layernorm", new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps));
        post_attention_layernorm = register_module("post_attention_layernorm", new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps));
    }

    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor allowed)
    {
        x = x + self_attn.forward(input_layernorm.forward(x), cos, sin, allowed);
        return x + mlp.forward(post_attention_layernorm.forward(x));
    }
}

/// <summary>The decoder stack (HF's LlamaModel, "model." in a causal-LM checkpoint).</summary>
internal sealed class LlamaDecoder : Module
{
    public LlamaDecoder(LlamaConfig config)
    {
        embed_tokens = register_module("embed_tokens", new Embedding(config.VocabSize, config.HiddenSize));
        layers = register_module("layers", new ModuleList<LlamaDecoderLayer>());
        for (var i = 0; i < config.NumHiddenLayers; i++) layers.append(new LlamaDecoderLayer(config));
        norm = register_module("norm", new LlamaRMSNorm(config.HiddenSize, config.RmsNormEps));
    }

    public Embedding embed_tokens { get; }
    public ModuleList<LlamaDecoderLayer> layers { get; }
    public LlamaRMSNorm norm { get; }
}

/// <summary>
/// LLaMA / Qwen2 causal language model. <see cref="forward"/> takes token embeddings (so a family
/// can splice audio embeddings into the prompt) and returns every layer's hidden states;
/// <see cref="Logits"/> maps hidden states to the vocabulary (through the tied embedding when
/// tie_word_embeddings).
/// </summary>
public sealed class LlamaForCausalLM : PretrainedModel
{
    private readonly LlamaConfig config;
    private readonly LlamaDecoder model;
    private readonly LlamaRotaryEmbedding rotary;
    private readonly Linear? lm_head;

    public LlamaForCausalLM(LlamaConfig config)
    {
        this.config = config;
        model = register_module("model", new LlamaDecoder(config));
        rotary = new LlamaRotaryEmbedding(config);
        if (!config.TieWordEmbeddings) lm_head = register_module("lm_head", new Linear(config.HiddenSize, config.VocabSize, hasBias: false));
    }

    public LlamaConfig Config => config;
    public override string ModelType => config.ModelType;
    public override int HiddenSize => config.HiddenSize;
    public override int LayerCount => config.NumHiddenLayers;
    // A tied checkpoint may still carry lm_head.weight (a copy of the embeddings): it is not used.
    protected override IReadOnlyList<string> UnusedPrefixes => config.TieWordEmbeddings ? ["lm_head.", "model.rotary_emb."] : ["model.rotary_emb."];

    public override IReadOnlyList<string> LayerPrefixes() => Enumerable.Range(0, LayerCount).Select(i => $"model.layers.{i}").ToList();

    /// <summary>Token ids (B, T) to their embeddings (B, T, D).</summary>
    public Tensor Embed(Tensor inputIds) => model.embed_tokens.forward(inputIds);

    /// <summary>
    /// Causal self-attention over embeddings (B, T, D) with the attention mask (B, T), 1 at real
    /// tokens (right padding). Positions count from 0 at the first token.
    /// </summary>
    public EncoderOutput forward(Tensor inputsEmbeds, Tensor attentionMask)
    {
        var (batch, length) = (inputsEmbeds.size(0), inputsEmbeds.size(1));
        var device = inputsEmbeds.device;
        var positions = torch.arange(length, device: device).unsqueeze(0).expand(batch, length);
        var (cos, sin) = rotary.forward(positions, inputsEmbeds.dtype);
        // Causal and not padding; a row left with no key (a left-padded position) sees itself
        // rather than softmaxing over nothing.
        var causal = torch.tril(torch.ones([length, length], torch.@bool, device));
        var allowed = causal.logical_and(attentionMask.ne(0).view(batch, 1, 1, length)); // (B, 1, T, T)
        var empty = allowed.sum(-1, keepdim: true).eq(0);
        var self = torch.arange(length, device: device).unsqueeze(1).eq(torch.arange(length, device: device).unsqueeze(0));
        allowed = allowed.logical_or(self.logical_and(empty));
        var x = inputsEmbeds;
        var hidden = new List<Tensor> { x };
        foreach (var layer in model.layers) hidden.Add(x = layer.forward(x, cos, sin, allowed));
        var last = model.norm.forward(x);
        hidden[^1] = last;                                                        // HF's last hidden state is the normed one
        return new EncoderOutput(last, hidden, attentionMask.eq(0));
    }

    /// <summary>Vocabulary logits (..., V) of hidden states (..., D).</summary>
    public Tensor Logits(Tensor hidden) => lm_head?.forward(hidden) ?? functional.linear(hidden, model.embed_tokens.weight);
}
