using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Pretrained.Bert;

// BERT (Devlin et al. 2019) and RoBERTa (Liu et al. 2019), following HF transformers'
// modeling_bert.py / modeling_roberta.py (v4.46): post-norm transformer layers over word +
// position + token-type embeddings. Parameter names are HF's, so a BertModel or RobertaModel
// folder loads as it is (a task model's "bert." / "roberta." prefix is stripped).

/// <summary>Word, position and token-type embeddings, summed, then LayerNorm and dropout.</summary>
internal sealed class BertEmbeddings : Module
{
    private readonly BertConfig config;
    private readonly Embedding word_embeddings, position_embeddings, token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertEmbeddings(BertConfig config)
    {
        this.config = config;
        word_embeddings = register_module("word_embeddings", new Embedding(config.VocabSize, config.HiddenSize, config.PadTokenId));
        position_embeddings = register_module("position_embeddings", new Embedding(config.MaxPositionEmbeddings, config.HiddenSize));
        token_type_embeddings = register_module("token_type_embeddings", new Embedding(config.TypeVocabSize, config.HiddenSize));
        LayerNorm = register_module("LayerNorm", new LayerNorm(config.HiddenSize, config.LayerNormEps));
        dropout = register_module("dropout", new Dropout(config.HiddenDropoutProb));
    }

    public Tensor forward(Tensor inputIds, Tensor? tokenTypeIds)                 // (B, T) -> (B, T, D)
    {
        var positions = config.IsRoberta
            ? RobertaPositions(inputIds)
            : torch.arange(inputIds.size(1), device: inputIds.device).unsqueeze(0);
        using var zeros = tokenTypeIds is null ? torch.zeros(inputIds.shape, torch.int64, inputIds.device) : null;
        var x = word_embeddings.forward(inputIds)
                + token_type_embeddings.forward(tokenTypeIds ?? zeros!)
                + position_embeddings.forward(positions);
        return dropout.forward(LayerNorm.forward(x));
    }

    // RoBERTa numbers real tokens from padding_idx + 1 and gives padding the padding position.
    private Tensor RobertaPositions(Tensor inputIds)
    {
        var real = inputIds.ne(config.PadTokenId).to(torch.int64);               // (B, T)
        return (real.cumsum(1) * real + config.PadTokenId).to(torch.int64);
    }
}

/// <summary>Multi-head self-attention over the layer input (HF's attention.self).</summary>
internal sealed class BertSelfAttention : Module
{
    private readonly int heads, headDim;
    private readonly double attentionDropout;
    private readonly Linear query, key, value;

    public BertSelfAttention(BertConfig config)
    {
        if (config.HiddenSize % config.NumAttentionHeads != 0)
            throw new TorchException($"bert: hidden_size {config.HiddenSize} is not a multiple of num_attention_heads {config.NumAttentionHeads}");
        (heads, headDim, attentionDropout) = (config.NumAttentionHeads, config.HiddenSize / config.NumAttentionHeads, config.AttentionProbsDropoutProb);
        query = register_module("query", new Linear(config.HiddenSize, config.HiddenSize));
        key = register_module("key", new Linear(config.HiddenSize, config.HiddenSize));
        value = register_module("value", new Linear(config.HiddenSize, config.HiddenSize));
    }

    public Tensor forward(Tensor x, Tensor allowed)                               // (B, T, D), (B, 1, 1, T)
    {
        var (batch, length) = (x.size(0), x.size(1));
        Tensor Heads(Linear projection) => projection.forward(x).view(batch, length, heads, headDim).transpose(1, 2); // (B, H, T, hd)
        var attended = functional.scaled_dot_product_attention(Heads(query), Heads(key), Heads(value), allowed, training ? attentionDropout : 0);
        return attended.transpose(1, 2).reshape(batch, length, heads * headDim);  // (B, T, D)
    }
}

/// <summary>A projection, dropout, and LayerNorm of the residual sum (HF's attention.output and output).</summary>
internal sealed class BertResidualOutput : Module
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertResidualOutput(BertConfig config, int inputSize)
    {
        dense = register_module("dense", new Linear(inputSize, config.HiddenSize));
        LayerNorm = register_module("LayerNorm", new LayerNorm(config.HiddenSize, config.LayerNormEps));
        dropout = register_module("dropout", new Dropout(config.HiddenDropoutProb));
    }

    public Tensor forward(Tensor h, Tensor residual) => LayerNorm.forward(dropout.forward(dense.forward(h)) + residual);
}

/// <summary>Self-attention and its residual output.</summary>
internal sealed class BertAttention : Module
{
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;

    public BertAttention(BertConfig config)
    {
        self = register_module("self", new BertSelfAttention(config));
        output = register_module("output", new BertResidualOutput(config, config.HiddenSize));
    }

    public Tensor forward(Tensor x, Tensor allowed) => output.forward(self.forward(x, allowed), x);
}

/// <summary>The feed-forward's first projection and activation.</summary>
internal sealed class BertIntermediate : Module
{
    private readonly string activation;
    private readonly Linear dense;

    public BertIntermediate(BertConfig config)
    {
        activation = config.HiddenAct;
        dense = register_module("dense", new Linear(config.HiddenSize, config.IntermediateSize));
    }

    public Tensor forward(Tensor x) => Activation.Apply(activation, dense.forward(x));   // (B, T, intermediate)
}

/// <summary>One post-norm transformer layer: attention, then the feed-forward with residual + LayerNorm.</summary>
internal sealed class BertLayer : Module
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;

    public BertLayer(BertConfig config)
    {
        attention = register_module("attention", new BertAttention(config));
        intermediate = register_module("intermediate", new BertIntermediate(config));
        output = register_module("output", new BertResidualOutput(config, config.IntermediateSize));
    }

    public Tensor forward(Tensor x, Tensor allowed)
    {
        x = attention.forward(x, allowed);
        return output.forward(intermediate.forward(x), x);
    }
}

/// <summary>The layer stack (HF's encoder.layer).</summary>
internal sealed class BertEncoder : Module
{
    public BertEncoder(BertConfig config)
    {
        layer = register_module("layer", new ModuleList<BertLayer>());
        for (var i = 0; i < config.NumHiddenLayers; i++) layer.append(new BertLayer(config));
    }

    public ModuleList<BertLayer> layer { get; }
}

/// <summary>BERT / RoBERTa encoder: embeddings and N layers; every layer's hidden state is returned.</summary>
public sealed class BertModel : PretrainedModel
{
    private readonly BertConfig config;
    private readonly BertEmbeddings embeddings;
    private readonly ModuleList<BertLayer> layers;

    public BertModel(BertConfig config)
    {
        this.config = config;
        embeddings = register_module("embeddings", new BertEmbeddings(config));
        layers = register_module("encoder", new BertEncoder(config)).layer;
    }

    public BertConfig Config => config;
    public override string ModelType => config.ModelType;
    public override int HiddenSize => config.HiddenSize;
    public override int LayerCount => config.NumHiddenLayers;
    protected override IReadOnlyList<string> TaskPrefixes => ["bert.", "roberta."];
    protected override IReadOnlyList<string> UnusedPrefixes => ["pooler.", "cls.", "lm_head.", "classifier.", "qa_outputs.", "embeddings.position_ids"];

    public override IReadOnlyList<string> LayerPrefixes() => Enumerable.Range(0, LayerCount).Select(i => $"encoder.layer.{i}").ToList();

    /// <summary>Token ids (B, T) and the attention mask (B, T), 1 at real tokens, as the tokenizer gives them.</summary>
    public EncoderOutput forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        var allowed = attentionMask.ne(0).view(inputIds.size(0), 1, 1, inputIds.size(1)); // (B, 1, 1, T)
        var x = embeddings.forward(inputIds, tokenTypeIds);
        var hidden = new List<Tensor> { x };
        foreach (var layer in layers) hidden.Add(x = layer.forward(x, allowed));
        return new EncoderOutput(x, hidden, attentionMask.eq(0));
    }
}
