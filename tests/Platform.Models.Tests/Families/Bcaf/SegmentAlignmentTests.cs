using EmotionLab.Models.Encoders;
using EmotionLab.Models.Families.Bcaf;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Families.Bcaf;

public sealed class SegmentAlignmentTests
{
    [Fact]
    public void Segments_average_long_sequences_stretch_short_ones_and_ignore_padding()
    {
        using var scope = torch.NewDisposeScope();
        // Item 0: 4 real positions with values 0, 1, 2, 3; item 1: 1 real position (7) and 3 of padding (99).
        var values = torch.tensor(new float[] { 0, 1, 2, 3, 7, 99, 99, 99 }, [2, 4, 1]);
        var padding = torch.tensor(new[] { false, false, false, false, false, true, true, true }, [2, 4]);

        var two = SegmentAlignment.Align(new EncodedSequence(values, padding), 2).reshape(-1).data<float>();
        Assert.Equal([0.5f, 2.5f, 7f, 7f], two);

        // Three segments over four positions: the middle one is half position 1 and half position 2.
        var three = SegmentAlignment.Align(new EncodedSequence(values, padding), 3).reshape(-1).data<float>();
        Assert.Equal([0.25f, 1.5f, 2.75f, 7f, 7f, 7f], three.Select(v => MathF.Round(v, 4)));

        // As many segments as real positions: the sequence itself.
        var four = SegmentAlignment.Align(new EncodedSequence(values, padding), 4).reshape(-1).data<float>();
        Assert.Equal([0f, 1f, 2f, 3f], four.Take(4).Select(v => MathF.Round(v, 4)));
    }
}
