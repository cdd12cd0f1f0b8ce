using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// The classification module (Section III.C-D): the audio head softmax(W h_a^s + b) (eq. 19), the
/// text head on h_l^s (eq. 21), and the bimodal classifier: four fully connected layers over the
/// aggregated representation h_m* = h_a^c + h_l^c + h_a^* + h_l^* (concatenated, eq. 17). The
/// paper gives only the input width (3072); the hidden widths here halve from the input's.
/// </summary>
public sealed class BcafHeads : Module
{
    private readonly Linear audio, text;
    private readonly Sequential classifier;

    public BcafHeads(int width, int aggregatedSize, int classes, double dropoutRate)
    {
        audio = register_module("audio", new Linear(width, classes));
        text = register_module("text", new Linear(width, classes));
        var sizes = new[] { aggregatedSize, aggregatedSize / 2, aggregatedSize / 4, aggregatedSize / 8 }.Select(s => Math.Max(s, classes)).ToArray();
        classifier = register_module("classifier", new Sequential(
            new Linear(sizes[0], sizes[1]), new ReLU(), new Dropout(dropoutRate),
            new Linear(sizes[1], sizes[2]), new ReLU(), new Dropout(dropoutRate),
            new Linear(sizes[2], sizes[3]), new ReLU(), new Dropout(dropoutRate),
            new Linear(sizes[3], classes)));
    }

    /// <summary>Logits (B, classes) of the audio head, the text head and the bimodal classifier.</summary>
    public (Tensor Audio, Tensor Text, Tensor Bimodal) forward(Tensor selfAudio, Tensor selfText, Tensor aggregated) =>
        (audio.forward(selfAudio), text.forward(selfText), classifier.forward(aggregated));
}
