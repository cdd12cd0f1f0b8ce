using EmotionLab.Models.Audio;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// The ViT front over the mel-spectrogram (ERC paper, 2.3): square patches (<see cref="MelPatches"/>,
/// time block major) by a linear projection to F_m, plus a learned position per patch index.
/// </summary>
public sealed class MelPatchEmbedding : Module<Tensor, Tensor>
{
    private readonly Linear projection;
    private readonly Embedding positions;

    /// <param name="maxFrames">the most frames a clip keeps; patches beyond them never occur</param>
    public MelPatchEmbedding(int patchSize, int melBins, int maxFrames, int size)
    {
        MaxPatches = MelPatches.TimeBlocks(maxFrames, patchSize) * (melBins / patchSize);
        projection = register_module("projection", new Linear(patchSize * patchSize, size));
        positions = register_module("positions", new Embedding(MaxPatches, size));
    }

    public int MaxPatches { get; }

    /// <param name="patches">(B, P, size²)</param>
    public override Tensor forward(Tensor patches) =>
        projection.forward(patches) + positions.forward(torch.arange(patches.size(1), torch.int64, patches.device).unsqueeze(0));
}
