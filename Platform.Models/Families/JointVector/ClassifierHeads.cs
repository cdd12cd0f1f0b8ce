using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// The emotion classifiers (ERC paper, 2.4): one linear classifier per fused representation (the
/// CLS outputs of both streams), their logits averaged; softmax is in the loss. With one
/// representation it is a single linear classifier.
/// </summary>
public sealed class ClassifierHeads : Module
{
    private readonly ModuleList<Linear> heads;
    private readonly Dropout dropout;

    public ClassifierHeads(IReadOnlyList<int> inputSizes, int classes, double dropoutRate)
    {
        heads = register_module("heads", new ModuleList<Linear>());
        foreach (var size in inputSizes) heads.append(new Linear(size, classes));
        dropout = register_module("dropout", new Dropout(dropoutRate));
    }

    public int Count => heads.Count;

    /// <summary>The averaged logits (B, classes).</summary>
    public Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count != heads.Count) throw new ArgumentException($"{heads.Count} classifiers but {inputs.Count} inputs");
        var logits = inputs.Select((x, i) => heads[i].forward(dropout.forward(x))).ToArray();
        return logits.Length == 1 ? logits[0] : torch.stack(logits).mean(0);
    }
}
