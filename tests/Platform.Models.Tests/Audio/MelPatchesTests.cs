using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Tests.Audio;

public sealed class MelPatchesTests
{
    private static FeatureMatrix Numbered(int frames)
    {
        var m = new FeatureMatrix(frames, 80);
        for (var t = 0; t < frames; t++)
            for (var f = 0; f < 80; f++) m[t, f] = t * 1000 + f;
        return m;
    }

    [Fact]
    public void Patches_hold_16_frames_by_16_mels_time_block_first()
    {
        using var patches = MelPatches.ToPatches(Numbered(32));
        Assert.Equal([10L, 256L], patches.shape); // 2 time blocks x 5 mel blocks
        var v = patches.data<float>();
        // Patch 7 = time block 1, mel block 2; its row 3, column 4 = frame 19, mel 36.
        Assert.Equal(19 * 1000 + 36, v[7 * 256 + 3 * 16 + 4]);
        Assert.Equal(0 * 1000 + 0, v[0]);
        Assert.Equal(31 * 1000 + 79, v[9 * 256 + 255]);
    }

    [Fact]
    public void The_last_partial_patch_is_padded_with_silence()
    {
        using var patches = MelPatches.ToPatches(Numbered(20));
        Assert.Equal([10L, 256L], patches.shape);
        var v = patches.data<float>();
        Assert.Equal(19 * 1000 + 0, v[5 * 256 + 3 * 16]);           // frame 19 is real
        Assert.Equal(MelPatches.SilencePad, v[5 * 256 + 4 * 16]);    // frame 20 is padding
        Assert.Equal(MathF.Log(1e-6f), MelPatches.SilencePad);
    }

    [Fact]
    public void Stride_overlaps_patches_and_short_clips_give_one_patch()
    {
        using var strided = MelPatches.ToPatches(Numbered(32), stride: 8);
        Assert.Equal([15L, 256L], strided.shape); // time blocks at 0, 8, 16
        Assert.Equal(8 * 1000, strided.data<float>()[5 * 256]);
        using var tiny = MelPatches.ToPatches(Numbered(3), padValue: -1);
        Assert.Equal([5L, 256L], tiny.shape);
        Assert.Equal(-1f, tiny.data<float>()[3 * 16]);
        Assert.Throws<ArgumentException>(() => MelPatches.ToPatches(new FeatureMatrix(10, 70)));
    }
}
