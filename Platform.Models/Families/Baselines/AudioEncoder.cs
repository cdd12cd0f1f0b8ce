using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Baselines;

/// <summary>
/// Pooled, standardised log-mel statistics (B, InputSize; see BaselinesDataset) to one vector
/// per utterance (B, HiddenSize): <see cref="AudioEncoderConfig.Layers"/> x (Linear, ReLU, Dropout).
/// </summary>
public sealed class AudioEncoder : Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public AudioEncoder(AudioEncoderConfig config, int inputSize, int hiddenSize, double dropoutRate)
    {
        layers = register_module("layers", new Sequential());
        for (var i = 0; i < config.Layers; i++)
        {
            layers.append(new Linear(i == 0 ? inputSize : hiddenSize, hiddenSize));
            layers.append(new ReLU());
            layers.append(new Dropout(dropoutRate));
        }
        OutputSize = hiddenSize;
    }

    public int OutputSize { get; }

    public override Tensor forward(Tensor pooledLogMel) => layers.forward(pooledLogMel);
}
