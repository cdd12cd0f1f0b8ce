using System.Globalization;
using EmotionLab.Models.Audio;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Bert;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Features;

/// <summary>
/// A frozen pretrained text encoder (BERT, RoBERTa) as a cacheable extractor: the transcript
/// tokenized by the folder's own tokenizer (with its special tokens, cut to the model's positions)
/// and one hidden state per token from a chosen layer. Fingerprinted like
/// <see cref="PretrainedSpeechFeatures"/>; the model loads on the first extraction.
/// </summary>
public sealed class PretrainedTextFeatures : ITextFeatureExtractor, IDisposable
{
    private readonly ModelFolder folder;
    private readonly int layer, maxTokens;
    private readonly PretrainedTokenizer tokenizer;
    private readonly Lazy<PretrainedModel> model;

    /// <param name="layer">hidden state index: 0 the embeddings, N the last layer; -1 the last</param>
    public PretrainedTextFeatures(ModelFolder folder, int layer = -1)
    {
        this.folder = folder;
        using (var shape = (BertModel)PretrainedArchitectures.ShapeFor(folder, PretrainedModality.Text, "a text slot"))
        {
            (Dimensions, LayerCount, this.layer) = (shape.HiddenSize, shape.LayerCount, shape.HiddenStateIndex(layer, folder.Path));
            // RoBERTa's positions start after padding_idx.
            maxTokens = shape.Config.MaxPositionEmbeddings - (shape.Config.IsRoberta ? shape.Config.PadTokenId + 1 : 0);
        }
        tokenizer = PretrainedTokenizer.Open(folder);
        Fingerprint = string.Create(CultureInfo.InvariantCulture, $"pretrained-text v1 folder={folder.Fingerprint()} layer={this.layer} max={maxTokens}");
        model = new Lazy<PretrainedModel>(() => PretrainedArchitectures.Load(folder.Path), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name => $"{folder.Config.ModelType}-l{layer}";

    public string Fingerprint { get; }

    public int Dimensions { get; }

    public int LayerCount { get; }

    public FeatureMatrix Extract(string text)
    {
        var ids = tokenizer.Encode(text);
        if (ids.Length > maxTokens) ids = [.. ids[..(maxTokens - 1)], ids[^1]]; // keep the closing special token
        var encoder = (BertModel)model.Value;
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var input = torch.tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]);
        var hidden = encoder.forward(input, torch.ones_like(input)).HiddenStates[layer]; // (1, T, D)
        return new FeatureMatrix(ids.Length, Dimensions, hidden.contiguous().data<float>());
    }

    public void Dispose()
    {
        tokenizer.Dispose();
        if (model.IsValueCreated) model.Value.Dispose();
    }
}
