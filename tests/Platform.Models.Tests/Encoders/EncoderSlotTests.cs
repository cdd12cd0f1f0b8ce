using EmotionLab.Models.Audio;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Encoders;

public sealed class EncoderSlotTests
{
    [Fact]
    public void Audio_slot_downsamples_by_the_frame_stride_and_masks_blocks_with_no_real_frame()
    {
        torch.manual_seed(0);
        using var encoder = new FrameSequenceEncoder(new EncoderSlotConfig { Size = 8, Layers = 1, Heads = 2, MaxLength = 40, FrameStride = 4 }, frameSize: 3, dropout: 0);
        encoder.eval();
        using var scope = torch.NewDisposeScope();
        // 10 and 3 frames: 3 blocks, the short one's last two blocks are padding.
        var (frames, padding) = PaddedBatch.Frames([Matrix(10, 3, 1f), Matrix(3, 3, 2f)], maxFrames: 40);
        Assert.Equal([2L, 10, 3], frames.shape);
        var encoded = ((IAudioEncoderSlot)encoder).Encode(frames, padding);
        Assert.Equal([2L, 3, 8], encoded.Values.shape);
        Assert.Equal([false, false, false, false, true, true], encoded.Padding.reshape(-1).data<bool>());

        // Padding frames change nothing: the short item alone encodes to the same first block.
        var (alone, alonePadding) = PaddedBatch.Frames([Matrix(3, 3, 2f)], maxFrames: 40);
        var single = encoder.Encode(alone, alonePadding);
        Assert.True((single.Values[0].select(0, 0) - encoded.Values[1].select(0, 0)).abs().max().item() < 1e-5);
    }

    [Fact]
    public void Text_slot_encodes_each_token_and_masks_padding_and_validates_its_config()
    {
        torch.manual_seed(0);
        using var encoder = new ScratchTextEncoder(new EncoderSlotConfig { Size = 8, Layers = 2, Heads = 2, MaxLength = 5 }, vocabularySize: 20, dropout: 0);
        using var scope = torch.NewDisposeScope();
        var tokens = PaddedBatch.Tokens([[3, 4, 5, 6, 7, 8, 9], []], maxLength: 5, emptyId: 1);
        Assert.Equal([2L, 5], tokens.shape);
        var encoded = ((ITextEncoderSlot)encoder).Encode(TextInput.FromTokens(tokens));
        Assert.Equal([2L, 5, 8], encoded.Values.shape);
        Assert.Equal(1, encoded.Padding[1].logical_not().sum().item());
        Assert.Equal([2L, 8], encoded.MeanPooled().shape);

        var problems = new List<SpecProblem>();
        new EncoderSlotConfig { Kind = "bert", Size = 10, Heads = 3, MaxLength = 0 }.Validate("x.text", problems);
        Assert.Equal(["x.text.kind", "x.text.heads", "x.text.maxLength"], problems.Select(p => p.Field));
        problems.Clear();
        new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Layer = -2 }.Validate("x.audio", problems);
        Assert.Equal(["x.audio.model", "x.audio.layer"], problems.Select(p => p.Field));
    }

    private static FeatureMatrix Matrix(int frames, int dims, float value) =>
        new(frames, dims, Enumerable.Range(0, frames * dims).Select(i => value + i * 0.01f).ToArray());
}
