using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>
/// T5-style bidirectional buckets of (key - query) that WavLM and BEATs index their learned
/// position bias with: half the buckets for each direction, exact distances below a quarter of
/// them, log-spaced from there up to <c>maxDistance</c>, the last bucket beyond.
/// </summary>
public static class RelativePositionBuckets
{
    public static Tensor Of(long length, int buckets, int maxDistance, Device device)  // (T, T) int64
    {
        var half = buckets / 2;
        var exact = half / 2;
        var relative = torch.arange(length, device: device).unsqueeze(0) - torch.arange(length, device: device).unsqueeze(1); // key - query
        var distance = relative.abs();
        var logSpaced = ((distance.to(torch.float32) / exact).log() / Math.Log((double)maxDistance / exact) * (half - exact) + exact).to(torch.int64);
        logSpaced = logSpaced.minimum(torch.full([1], half - 1, torch.int64, device));
        // Scalar arithmetic gives float tensors here; the small integers stay exact.
        return (relative.gt(0).to(torch.int64) * half + torch.where(distance.lt(exact), distance, logSpaced)).to(torch.int64);
    }
}
