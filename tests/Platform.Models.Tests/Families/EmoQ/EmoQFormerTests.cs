using EmotionLab.Models.Encoders;
using EmotionLab.Models.Families.EmoQ;
using EmotionLab.Models.Torch;
using Xunit.Abstractions;

namespace EmotionLab.Models.Tests.Families.EmoQ;

/// <summary>The EmoQ-Former's attention: what its fused vector depends on, and what it must not.</summary>
public sealed class EmoQFormerTests(ITestOutputHelper output)
{
    private static EmoQFormer Former()
    {
        torch.manual_seed(5);
        var former = new EmoQFormer(EmoQFormer.ScratchConfig(new EncoderSlotConfig { Size = 16, Layers = 2, Heads = 2, MaxLength = 12 }, vocabularySize: 30, dropout: 0), queries: 4, poolingHeads: 2, audioSize: 6);
        former.eval();
        return former;
    }

    // Two utterances: 5 audio frames of 6 values (the first has 3 real ones) and 4 tokens (the first has 3).
    private static float[] Fused(EmoQFormer former, float[] audio, long[] tokens)
    {
        using var scope = torch.NewDisposeScope();
        var padding = torch.tensor(new[] { false, false, false, true, true, false, false, false, false, false }, [2, 5]);
        var tokenPadding = torch.tensor(new[] { false, false, false, true, false, false, false, false }, [2, 4]);
        return former.forward(new EncodedSequence(torch.tensor(audio, [2, 5, 6]), padding), torch.tensor(tokens, [2, 4]), tokenPadding).data<float>().ToArray();
    }

    private static double Distance(float[] a, float[] b, int row) => Enumerable.Range(row * 16, 16).Max(i => Math.Abs(a[i] - b[i]));

    [Fact]
    public void The_fused_vector_has_unit_length_and_depends_on_the_transcript_and_the_real_audio_only()
    {
        using var former = Former();
        var random = new Random(3);
        var audio = Enumerable.Range(0, 60).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        long[] tokens = [3, 4, 5, 0, 6, 7, 8, 9];
        var fused = Fused(former, audio, tokens);
        Assert.Equal(32, fused.Length);
        foreach (var row in new[] { 0, 1 }) Assert.Equal(1.0, Math.Sqrt(fused.Skip(row * 16).Take(16).Sum(v => v * v)), 4);

        // M of eq. (3): frames past an utterance's end change nothing.
        var padded = (float[])audio.Clone();
        for (var i = 4 * 6; i < 5 * 6; i++) padded[i] = 100;
        Assert.True(Distance(fused, Fused(former, padded, tokens), 0) < 1e-6);

        // A real frame, and a word, each change it; the other utterance stays as it was.
        var changedAudio = (float[])audio.Clone();
        for (var i = 1 * 6; i < 2 * 6; i++) changedAudio[i] = 3;
        var otherAudio = Fused(former, changedAudio, tokens);
        var otherWords = Fused(former, audio, [3, 4, 11, 0, 6, 7, 8, 9]);
        output.WriteLine($"largest change after an audio change {Distance(fused, otherAudio, 0):G3}, after a word change {Distance(fused, otherWords, 0):G3}");
        Assert.True(Distance(fused, otherAudio, 0) > 1e-3);
        Assert.True(Distance(fused, otherWords, 0) > 1e-3);
        Assert.True(Distance(fused, otherWords, 1) < 1e-6, "each utterance's vector depends on its own words only");
    }
}
