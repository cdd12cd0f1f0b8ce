using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Baselines;

/// <summary>
/// The Baselines model. The variant picks the encoders: text (TextEncoder), audio (AudioEncoder),
/// or concat: both, their utterance vectors concatenated (late fusion). The classifier is the
/// same for all three: Linear, ReLU, Dropout, Linear to the label set's classes.
/// </summary>
public sealed class BaselinesModel : Module<BaselinesBatch, Tensor>
{
    private readonly TextEncoder? text;
    private readonly AudioEncoder? audio;
    private readonly Sequential classifier;

    /// <param name="vocabularySize">words of the train-split vocabulary (text variants)</param>
    /// <param name="audioInputSize">width of the pooled log-mel vector (audio variants)</param>
    public BaselinesModel(BaselinesConfig config, int vocabularySize, int audioInputSize, int classes)
    {
        Variant = config.Variant;
        var fusedSize = 0;
        if (config.Variant != BaselinesConfig.AudioVariant)
        {
            text = register_module("text", new TextEncoder(config.Text, vocabularySize, config.Dropout));
            fusedSize += text.OutputSize;
        }
        if (config.Variant != BaselinesConfig.TextVariant)
        {
            audio = register_module("audio", new AudioEncoder(config.Audio, audioInputSize, config.HiddenSize, config.Dropout));
            fusedSize += audio.OutputSize;
        }
        classifier = register_module("classifier", new Sequential(
            new Linear(fusedSize, config.HiddenSize), new ReLU(), new Dropout(config.Dropout), new Linear(config.HiddenSize, classes)));
    }

    public string Variant { get; }

    /// <summary>Logits (B, classes).</summary>
    public override Tensor forward(BaselinesBatch batch)
    {
        var parts = new List<Tensor>(2);
        if (text is not null) parts.Add(text.forward(batch.Tokens ?? throw new ArgumentException($"the {Variant} baseline needs word ids in the batch")));
        if (audio is not null) parts.Add(audio.forward(batch.Audio ?? throw new ArgumentException($"the {Variant} baseline needs audio features in the batch")));
        var fused = parts.Count == 1 ? parts[0] : torch.cat(parts, 1);
        return classifier.forward(fused);
    }
}
