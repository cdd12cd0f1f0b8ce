using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Features;

/// <summary>
/// Batches of one audio slot's frames read from its feature cache: cut to the slot's length and,
/// for a scratch encoder's log-mel, standardised with the train split's statistics (a pretrained
/// encoder's cached hidden state is used as it is, since the layers after it expect it so).
/// </summary>
public sealed class AudioFrameSource : IDisposable
{
    private readonly int maxFrames;
    private readonly Tensor? mean, std;

    private AudioFrameSource(FeatureCache cache, int maxFrames, Tensor? mean, Tensor? std) =>
        (Cache, this.maxFrames, this.mean, this.std) = (cache, maxFrames, mean, std);

    /// <summary>The cache the frames come from; read by every batch, so it must outlive this source.</summary>
    public FeatureCache Cache { get; }

    public static AudioFrameSource Open(FeatureCache cache, EncoderSlotConfig slot, IEnumerable<string> trainKeys)
    {
        if (slot.Kind == EncoderSlotConfig.PretrainedKind) return new AudioFrameSource(cache, slot.MaxLength, null, null);
        var (mean, std) = FrameStatistics.Compute(trainKeys.Select(cache.Get), cache.Dimensions);
        return new AudioFrameSource(cache, slot.MaxLength, torch.tensor(mean).DetachFromDisposeScope(), torch.tensor(std).DetachFromDisposeScope());
    }

    /// <summary>The utterances' frames (B, T, F), zero past each one's end, and the padding mask (B, T).</summary>
    public (Tensor Frames, Tensor Padding) Frames(IEnumerable<string> keys)
    {
        var (frames, padding) = PaddedBatch.Frames(keys.Select(Cache.Get).ToArray(), maxFrames);
        if (mean is not null) frames = ((frames - mean) / std!).masked_fill(padding.unsqueeze(2), 0);
        return (frames, padding);
    }

    public void Dispose()
    {
        mean?.Dispose();
        std?.Dispose();
    }
}
