using System.Runtime.Intrinsics;
using EmotionLab.Models.Audio;

namespace EmotionLab.Models.Tests.Audio;

public sealed class RealFftTests
{
    private static (float[] re, float[] im) Transform(RealFft fft, float[] frames, int lanes)
    {
        var n = fft.Size;
        var data = new Vector256<float>[n];
        var work = new Vector256<float>[n];
        var lane = new float[8];
        for (var t = 0; t < n; t++)
        {
            for (var l = 0; l < 8; l++) lane[l] = l < lanes ? frames[l * n + t] : 0;
            data[t] = Vector256.Create(lane);
        }
        fft.Forward(data, work);
        var bins = n / 2 + 1;
        var (re, im) = (new float[lanes * bins], new float[lanes * bins]);
        for (var l = 0; l < lanes; l++)
        {
            re[l * bins] = data[0][l];
            for (var k = 1; 2 * k < n; k++) { re[l * bins + k] = data[2 * k - 1][l]; im[l * bins + k] = data[2 * k][l]; }
            if (n % 2 == 0) re[l * bins + bins - 1] = data[n - 1][l];
        }
        return (re, im);
    }

    [Fact]
    public void Size_400_matches_torch_fft_rfft()
    {
        var fixture = AudioFixture.Load("rfft_400");
        var (re, im) = Transform(new RealFft(400), fixture["in"], 8);
        // A port of torch's own FFT (pocketfft) rounds the same way: bit-for-bit equal.
        Assert.Equal(fixture["re"], re);
        Assert.Equal(fixture["im"], im);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(512)]
    [InlineData(480)]
    [InlineData(90)]
    [InlineData(6)]
    [InlineData(2)]
    [InlineData(1)]
    public void Matches_a_direct_DFT(int n)
    {
        var random = new Random(n);
        var frames = Enumerable.Range(0, 8 * n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var (re, im) = Transform(new RealFft(n), frames, 8);
        var bins = n / 2 + 1;
        for (var l = 0; l < 8; l++)
            for (var k = 0; k < bins; k++)
            {
                double sr = 0, si = 0;
                for (var t = 0; t < n; t++)
                {
                    var angle = -2 * Math.PI * k * t / n;
                    sr += frames[l * n + t] * Math.Cos(angle);
                    si += frames[l * n + t] * Math.Sin(angle);
                }
                Assert.True(Math.Abs(sr - re[l * bins + k]) < 1e-4 && Math.Abs(si - im[l * bins + k]) < 1e-4, $"n={n} lane {l} bin {k}: ({re[l * bins + k]}, {im[l * bins + k]}) vs ({sr}, {si})");
            }
    }

    [Fact]
    public void Sizes_with_other_primes_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new RealFft(7 * 64));
        Assert.Contains("prime factor 7", error.Message);
    }
}
