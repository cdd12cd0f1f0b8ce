using EmotionLab.Models.Encoders;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Bert;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.EmoQ;

// The EmoQ-Former (§2.1), a Q-Former in BLIP-2's manner: N_q learnable queries concatenated with
// the transcript's token embeddings (eq. 1) self-attend as one sequence (eq. 2); the query part
// then cross-attends to the projected audio with padded frames masked out (eq. 3); a feed-forward
// follows; after the last layer a multi-head attentive pooling turns the query outputs into e_q,
// L2-normalised to e'_q. Layers are post-norm like RoBERTa's and their parameters carry HF's
// RoBERTa names (embeddings.*, encoder.layer.N.attention / intermediate / output), so a RoBERTa
// folder initialises them by name, as the paper initialises from RoBERTa-base; the cross-attention
// ("crossattention", BLIP-2's name), the queries, the audio projection and the pooling are new.

/// <summary>Token embeddings of the transcript (word + position + type 0) after the queries, then LayerNorm and dropout.</summary>
internal sealed class EmoQFormerEmbeddings : Module
{
    private readonly BertConfig config;
    private readonly Embedding word_embeddings, position_embeddings, token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public EmoQFormerEmbeddings(BertConfig config)
    {
        this.config = config;
        word_embeddings = register_module("word_embeddings", new Embedding(config.VocabSize, config.HiddenSize, config.PadTokenId));
        position_embeddings = register_module("position_embeddings", new Embedding(config.MaxPositionEmbeddings, config.HiddenSize));
        token_type_embeddings = register_module("token_type_embeddings", new Embedding(config.TypeVocabSize, config.HiddenSize));
        LayerNorm = register_module("LayerNorm", new LayerNorm(config.HiddenSize, config.LayerNormEps));
        dropout = register_module("dropout", new Dropout(config.HiddenDropoutProb));
    }

    /// <summary>X = LN(Concat(Q, E_t)) (eq. 1): queries (B, Nq, D), token ids (B, Lt) -> (B, Nq + Lt, D).</summary>
    public Tensor forward(Tensor queries, Tensor tokens, Tensor tokenPadding)
    {
        // RoBERTa numbers real tokens from padding_idx + 1; BERT from 0.
        var real = tokenPadding.logical_not().to(torch.int64);                  // (B, Lt)
        var positions = config.IsRoberta ? (real.cumsum(1) * real + config.PadTokenId).to(torch.int64) : torch.arange(tokens.size(1), device: tokens.device).unsqueeze(0);
        using var types = torch.zeros(tokens.shape, torch.int64, tokens.device);
        var text = word_embeddings.forward(tokens) + position_embeddings.forward(positions) + token_type_embeddings.forward(types); // (B, Lt, D)
        return dropout.forward(LayerNorm.forward(torch.cat([queries, text], 1)));
    }
}

/// <summary>Multi-head attention of x over a memory (itself for self-attention), masked by allowed (HF's *.self).</summary>
internal sealed class EmoQFormerAttention : Module
{
    private readonly int heads, headDim;
    private readonly double attentionDropout;
    private readonly Linear query, key, value;

    public EmoQFormerAttention(BertConfig config)
    {
        (heads, headDim, attentionDropout) = (config.NumAttentionHeads, config.HiddenSize / config.NumAttentionHeads, config.AttentionProbsDropoutProb);
        query = register_module("query", new Linear(config.HiddenSize, config.HiddenSize));
        key = register_module("key", new Linear(config.HiddenSize, config.HiddenSize));
        value = register_module("value", new Linear(config.HiddenSize, config.HiddenSize));
    }

    public Tensor forward(Tensor x, Tensor memory, Tensor allowed)               // (B, T, D), (B, S, D), (B, 1, 1, S)
    {
        Tensor Heads(Linear projection, Tensor input) => projection.forward(input).view(input.size(0), input.size(1), heads, headDim).transpose(1, 2); // (B, H, T, hd)
        var attended = functional.scaled_dot_product_attention(Heads(query, x), Heads(key, memory), Heads(value, memory), allowed, training ? attentionDropout : 0);
        return attended.transpose(1, 2).reshape(x.size(0), x.size(1), heads * headDim); // (B, T, D)
    }
}

/// <summary>A projection, dropout, and LayerNorm of the residual sum (HF's *.output).</summary>
internal sealed class EmoQFormerResidual : Module
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public EmoQFormerResidual(BertConfig config, int inputSize)
    {
        dense = register_module("dense", new Linear(inputSize, config.HiddenSize));
        LayerNorm = register_module("LayerNorm", new LayerNorm(config.HiddenSize, config.LayerNormEps));
        dropout = register_module("dropout", new Dropout(config.HiddenDropoutProb));
    }

    public Tensor forward(Tensor h, Tensor residual) => LayerNorm.forward(dropout.forward(dense.forward(h)) + residual);
}

/// <summary>Attention and its residual output (HF's attention = self + output).</summary>
internal sealed class EmoQFormerAttentionBlock : Module
{
    private readonly EmoQFormerAttention self;
    private readonly EmoQFormerResidual output;

    public EmoQFormerAttentionBlock(BertConfig config)
    {
        self = register_module("self", new EmoQFormerAttention(config));
        output = register_module("output", new EmoQFormerResidual(config, config.HiddenSize));
    }

    public Tensor forward(Tensor x, Tensor memory, Tensor allowed) => output.forward(self.forward(x, memory, allowed), x);
}

/// <summary>The feed-forward's first projection and activation (HF's intermediate).</summary>
internal sealed class EmoQFormerIntermediate : Module
{
    private readonly string activation;
    private readonly Linear dense;

    public EmoQFormerIntermediate(BertConfig config)
    {
        activation = config.HiddenAct;
        dense = register_module("dense", new Linear(config.HiddenSize, config.IntermediateSize));
    }

    public Tensor forward(Tensor x) => Activation.Apply(activation, dense.forward(x));
}

/// <summary>
/// One layer: self-attention over queries and text (eq. 2), the queries' cross-attention to the
/// audio (eq. 3), then the feed-forward over every position.
/// </summary>
internal sealed class EmoQFormerLayer : Module
{
    private readonly EmoQFormerAttentionBlock attention, crossattention;
    private readonly EmoQFormerIntermediate intermediate;
    private readonly EmoQFormerResidual output;
    private readonly int queries;

    public EmoQFormerLayer(BertConfig config, int queries)
    {
        this.queries = queries;
        attention = register_module("attention", new EmoQFormerAttentionBlock(config));
        crossattention = register_module("crossattention", new EmoQFormerAttentionBlock(config));
        intermediate = register_module("intermediate", new EmoQFormerIntermediate(config));
        output = register_module("output", new EmoQFormerResidual(config, config.IntermediateSize));
    }

    // x (B, Nq + Lt, D); audio (B, La, D); selfAllowed (B, 1, 1, Nq + Lt); audioAllowed (B, 1, 1, La): M of eq. (3)
    public Tensor forward(Tensor x, Tensor selfAllowed, Tensor audio, Tensor audioAllowed)
    {
        x = attention.forward(x, x, selfAllowed);
        var q = crossattention.forward(x.narrow(1, 0, queries), audio, audioAllowed); // (B, Nq, D)
        x = torch.cat([q, x.narrow(1, queries, x.size(1) - queries)], 1);
        return output.forward(intermediate.forward(x), x);
    }
}

/// <summary>The layer stack (HF's encoder.layer).</summary>
internal sealed class EmoQFormerEncoder : Module
{
    public EmoQFormerEncoder(BertConfig config, int queries)
    {
        layer = register_module("layer", new ModuleList<EmoQFormerLayer>());
        for (var i = 0; i < config.NumHiddenLayers; i++) layer.append(new EmoQFormerLayer(config, queries));
    }

    public ModuleList<EmoQFormerLayer> layer { get; }
}

/// <summary>
/// Multi-head attentive pooling: each head scores the query outputs, softmaxes over them and
/// averages its slice of their values; the heads' results are joined and projected.
/// </summary>
internal sealed class EmoQFormerPooling : Module
{
    private readonly int heads;
    private readonly Linear score, value, dense;

    public EmoQFormerPooling(int size, int heads)
    {
        this.heads = heads;
        score = register_module("score", new Linear(size, heads));
        value = register_module("value", new Linear(size, size));
        dense = register_module("dense", new Linear(size, size));
    }

    public Tensor forward(Tensor x)                                              // (B, Nq, D) -> (B, D)
    {
        var (batch, length, size) = (x.size(0), x.size(1), x.size(2));
        var weights = score.forward(x).softmax(1).unsqueeze(3);                    // (B, Nq, heads, 1)
        var values = value.forward(x).view(batch, length, heads, size / heads);   // (B, Nq, heads, D / heads)
        return dense.forward((weights * values).sum(1).reshape(batch, size));
    }
}

/// <summary>
/// The EmoQ-Former: projected audio E'_a and transcript tokens in, the L2-normalised fused
/// embedding e'_q out (B, D). <see cref="Config"/> is RoBERTa's config when initialised from a
/// folder (<see cref="FromRoberta"/>), or a small one for a scratch former.
/// </summary>
public sealed class EmoQFormer : Module
{
    private readonly Parameter query_tokens;
    private readonly Linear audio_projection;
    private readonly EmoQFormerEmbeddings embeddings;
    private readonly ModuleList<EmoQFormerLayer> layers;
    private readonly EmoQFormerPooling pooling;

    /// <param name="audioSize">d_a, the audio embeddings' width</param>
    public EmoQFormer(BertConfig config, int queries, int poolingHeads, int audioSize)
    {
        if (config.HiddenSize % config.NumAttentionHeads != 0 || config.HiddenSize % poolingHeads != 0)
            throw new ArgumentException($"the EmoQ-Former's width {config.HiddenSize} must be a multiple of its {config.NumAttentionHeads} attention heads and {poolingHeads} pooling heads");
        Config = config;
        query_tokens = register_parameter("query_tokens", new Parameter(torch.randn([1, queries, config.HiddenSize]).mul(0.02)));
        audio_projection = register_module("audio_projection", new Linear(audioSize, config.HiddenSize));
        embeddings = register_module("embeddings", new EmoQFormerEmbeddings(config));
        layers = register_module("encoder", new EmoQFormerEncoder(config, queries)).layer;
        pooling = register_module("pooling", new EmoQFormerPooling(config.HiddenSize, poolingHeads));
    }

    public BertConfig Config { get; }

    public int OutputSize => Config.HiddenSize;

    /// <summary>The text tokens' padding id (RoBERTa's &lt;pad&gt;, the scratch vocabulary's 0).</summary>
    public int PaddingId => Config.PadTokenId;

    /// <summary>e'_q (B, D) from the audio embeddings E_a (B, La, d_a) with their padding (B, La) and the transcript's token ids (B, Lt) with theirs.</summary>
    public Tensor forward(EncodedSequence audio, Tensor tokens, Tensor tokenPadding)
    {
        var batch = tokens.size(0);
        var audioAllowed = audio.Padding.logical_not().view(batch, 1, 1, -1);    // (B, 1, 1, La)
        var queryAllowed = torch.ones([batch, query_tokens.size(1)], torch.@bool, tokens.device);
        var selfAllowed = torch.cat([queryAllowed, tokenPadding.logical_not()], 1).view(batch, 1, 1, -1); // (B, 1, 1, Nq + Lt)
        var projected = audio_projection.forward(audio.Values);                   // (B, La, D): E'_a
        var x = embeddings.forward(query_tokens.expand(batch, -1, -1), tokens, tokenPadding); // (B, Nq + Lt, D)
        foreach (var layer in layers) x = layer.forward(x, selfAllowed, projected, audioAllowed);
        var pooled = pooling.forward(x.narrow(1, 0, query_tokens.size(1)));      // (B, D): e_q
        return functional.normalize(pooled, 2, 1);                                // e'_q
    }

    /// <summary>
    /// A former over a RoBERTa (or BERT) folder's config, its embeddings, self-attention and
    /// feed-forward copied from the folder's weights by name; returns the former and the names of
    /// its parameters that start random (cross-attention, queries, audio projection, pooling).
    /// </summary>
    /// <param name="dropout">the former's dropout, in place of the folder's</param>
    public static (EmoQFormer Former, IReadOnlyList<string> New) FromRoberta(string folder, int queries, int poolingHeads, int audioSize, double dropout)
    {
        using var roberta = (BertModel)PretrainedArchitectures.Load(folder);
        var former = new EmoQFormer(WithDropout(roberta.Config, dropout), queries, poolingHeads, audioSize);
        var source = roberta.state_dict();
        var fresh = new List<string>();
        using (torch.no_grad())
            foreach (var (name, parameter) in former.named_parameters())
            {
                if (source.TryGetValue(name, out var weights) && weights.shape.SequenceEqual(parameter.shape)) parameter.copy_(weights);
                else fresh.Add(name);
            }
        return (former, fresh);
    }

    /// <summary>A RoBERTa config with the EmoQ-Former's dropout in its hidden states and attention.</summary>
    public static BertConfig WithDropout(BertConfig roberta, double dropout) =>
        roberta with { HiddenDropoutProb = dropout, AttentionProbsDropoutProb = dropout };

    /// <summary>The config of a scratch former: Size wide, Layers deep, Heads heads, a 4 x Size feed-forward, over a word vocabulary.</summary>
    public static BertConfig ScratchConfig(EncoderSlotConfig slot, int vocabularySize, double dropout) => new()
    {
        ModelType = "bert", VocabSize = vocabularySize, HiddenSize = slot.Size, NumHiddenLayers = slot.Layers, NumAttentionHeads = slot.Heads,
        IntermediateSize = 4 * slot.Size, HiddenDropoutProb = dropout, AttentionProbsDropoutProb = dropout,
        MaxPositionEmbeddings = slot.MaxLength, TypeVocabSize = 1, LayerNormEps = 1e-12, PadTokenId = 0,
    };
}
