using System.Runtime.Intrinsics;

namespace EmotionLab.Models.Audio;

/// <summary>
/// Forward real FFT of eight signals at once (one per <see cref="Vector256{T}"/> lane), following
/// the algorithm of pocketfft's rfftp (the FFTPACK radf2/3/4/5 passes), the FFT torch.stft runs on CPUs built
/// without MKL, Debian's included. Same factor order, same float32 twiddles, same operation
/// order, no fused multiply-adds: so our spectra round like torch's, which is what lets the
/// log-mel match torchaudio in bins whose power is a tiny fraction of the frame's (where any other
/// float32 FFT differs by its own rounding noise). Sizes must be 2^a·3^b·5^c (400, 512, 480...).
///
/// <para>Output is FFTPACK's half-complex order: r0, r1, i1, r2, i2, ..., and r(n/2) last when n
/// is even; the sign convention is exp(-2πi·k·t/n), not normalised.</para>
/// </summary>
public sealed class RealFft
{
    public const int Lanes = 8;
    public int Size { get; }

    private readonly int[] factors;
    private readonly float[][] twiddles;

    public RealFft(int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "the FFT size must be positive");
        Size = size;
        // pocketfft's factorize(): all 4s, then one 2 moved to the front, then odd factors.
        var list = new List<int>();
        var len = size;
        while (len % 4 == 0) { list.Add(4); len >>= 2; }
        if (len % 2 == 0) { len >>= 1; list.Add(2); (list[0], list[^1]) = (list[^1], list[0]); }
        for (var divisor = 3; divisor * divisor <= len; divisor += 2)
            while (len % divisor == 0) { list.Add(divisor); len /= divisor; }
        if (len > 1) list.Add(len);
        if (list.Any(f => f > 5))
            throw new ArgumentException($"FFT size {size} has the prime factor {list.Max()}; only sizes 2^a·3^b·5^c are supported (400, 512, 480, 1024...)", nameof(size));
        factors = [.. list];

        // comp_twiddle(): per factor, W^(j·l1·i) for j < ip, i <= (ido-1)/2, as float (cos, +sin).
        twiddles = new float[factors.Length][];
        var l1 = 1;
        for (var k = 0; k < factors.Length; k++)
        {
            int ip = factors[k], ido = size / (l1 * ip);
            var tw = twiddles[k] = new float[Math.Max((ip - 1) * (ido - 1), 0)];
            if (k < factors.Length - 1)
                for (var j = 1; j < ip; j++)
                    for (var i = 1; i <= (ido - 1) / 2; i++)
                    {
                        var angle = 2 * Math.PI * ((long)j * l1 * i % size) / size;
                        tw[(j - 1) * (ido - 1) + 2 * i - 2] = (float)Math.Cos(angle);
                        tw[(j - 1) * (ido - 1) + 2 * i - 1] = (float)Math.Sin(angle);
                    }
            l1 *= ip;
        }
    }

    /// <summary>Transforms <paramref name="data"/> (Size vectors, sample t of each lane at [t]) in place; <paramref name="work"/> is scratch of the same size.</summary>
    public void Forward(Vector256<float>[] data, Vector256<float>[] work)
    {
        if (data.Length < Size || work.Length < Size) throw new ArgumentException($"both buffers must hold {Size} vectors");
        if (Size == 1) return;
        Vector256<float>[] p1 = data, p2 = work;
        var l1 = Size;
        for (var k1 = 0; k1 < factors.Length; k1++)
        {
            var k = factors.Length - k1 - 1;
            var ip = factors[k];
            var ido = Size / l1;
            l1 /= ip;
            switch (ip)
            {
                case 4: Radf4(ido, l1, p1, p2, twiddles[k]); break;
                case 2: Radf2(ido, l1, p1, p2, twiddles[k]); break;
                case 3: Radf3(ido, l1, p1, p2, twiddles[k]); break;
                default: Radf5(ido, l1, p1, p2, twiddles[k]); break;
            }
            (p1, p2) = (p2, p1);
        }
        if (!ReferenceEquals(p1, data)) Array.Copy(p1, data, Size);
    }

    // The passes below follow pocketfft line by line: CC(a,b,c) = cc[a + ido·(b + l1·c)],
    // CH(a,b,c) = ch[a + ido·(b + ip·c)], WA(x,i) = wa[i + x·(ido-1)], MULPM(a,b,c,d,e,f):
    // a = c·e + d·f, b = c·f - d·e (multiplication by a conjugated twiddle).

    private static void Radf2(int ido, int l1, Vector256<float>[] cc, Vector256<float>[] ch, float[] wa)
    {
        int CC(int a, int b, int c) => a + ido * (b + l1 * c);
        int CH(int a, int b, int c) => a + ido * (b + 2 * c);
        for (var k = 0; k < l1; k++)
        {
            ch[CH(0, 0, k)] = cc[CC(0, k, 0)] + cc[CC(0, k, 1)];
            ch[CH(ido - 1, 1, k)] = cc[CC(0, k, 0)] - cc[CC(0, k, 1)];
        }
        if ((ido & 1) == 0)
            for (var k = 0; k < l1; k++)
            {
                ch[CH(0, 1, k)] = -cc[CC(ido - 1, k, 1)];
                ch[CH(ido - 1, 0, k)] = cc[CC(ido - 1, k, 0)];
            }
        if (ido <= 2) return;
        for (var k = 0; k < l1; k++)
            for (var i = 2; i < ido; i += 2)
            {
                var ic = ido - i;
                var (tr2, ti2) = MulPm(wa[i - 2], wa[i - 1], cc[CC(i - 1, k, 1)], cc[CC(i, k, 1)]);
                ch[CH(i - 1, 0, k)] = cc[CC(i - 1, k, 0)] + tr2;
                ch[CH(ic - 1, 1, k)] = cc[CC(i - 1, k, 0)] - tr2;
                ch[CH(i, 0, k)] = ti2 + cc[CC(i, k, 0)];
                ch[CH(ic, 1, k)] = ti2 - cc[CC(i, k, 0)];
            }
    }

    private static void Radf3(int ido, int l1, Vector256<float>[] cc, Vector256<float>[] ch, float[] wa)
    {
        const float taur = -0.5f, taui = 0.8660254037844386467637231707529362f;
        int CC(int a, int b, int c) => a + ido * (b + l1 * c);
        int CH(int a, int b, int c) => a + ido * (b + 3 * c);
        for (var k = 0; k < l1; k++)
        {
            var cr2 = cc[CC(0, k, 1)] + cc[CC(0, k, 2)];
            ch[CH(0, 0, k)] = cc[CC(0, k, 0)] + cr2;
            ch[CH(0, 2, k)] = taui * (cc[CC(0, k, 2)] - cc[CC(0, k, 1)]);
            ch[CH(ido - 1, 1, k)] = cc[CC(0, k, 0)] + taur * cr2;
        }
        if (ido == 1) return;
        for (var k = 0; k < l1; k++)
            for (var i = 2; i < ido; i += 2)
            {
                var ic = ido - i;
                var (dr2, di2) = MulPm(wa[i - 2], wa[i - 1], cc[CC(i - 1, k, 1)], cc[CC(i, k, 1)]);
                var (dr3, di3) = MulPm(wa[i - 2 + (ido - 1)], wa[i - 1 + (ido - 1)], cc[CC(i - 1, k, 2)], cc[CC(i, k, 2)]);
                Rearrange(ref dr2, ref di2, ref dr3, ref di3);
                ch[CH(i - 1, 0, k)] = cc[CC(i - 1, k, 0)] + dr2;
                ch[CH(i, 0, k)] = cc[CC(i, k, 0)] + di2;
                var tr2 = cc[CC(i - 1, k, 0)] + taur * dr2;
                var ti2 = cc[CC(i, k, 0)] + taur * di2;
                var tr3 = taui * dr3;
                var ti3 = taui * di3;
                ch[CH(i - 1, 2, k)] = tr2 + tr3;
                ch[CH(ic - 1, 1, k)] = tr2 - tr3;
                ch[CH(i, 2, k)] = ti3 + ti2;
                ch[CH(ic, 1, k)] = ti3 - ti2;
            }
    }

    private static void Radf4(int ido, int l1, Vector256<float>[] cc, Vector256<float>[] ch, float[] wa)
    {
        const float hsqt2 = 0.707106781186547524400844362104849f;
        int CC(int a, int b, int c) => a + ido * (b + l1 * c);
        int CH(int a, int b, int c) => a + ido * (b + 4 * c);
        for (var k = 0; k < l1; k++)
        {
            var tr1 = cc[CC(0, k, 3)] + cc[CC(0, k, 1)];
            ch[CH(0, 2, k)] = cc[CC(0, k, 3)] - cc[CC(0, k, 1)];
            var tr2 = cc[CC(0, k, 0)] + cc[CC(0, k, 2)];
            ch[CH(ido - 1, 1, k)] = cc[CC(0, k, 0)] - cc[CC(0, k, 2)];
            ch[CH(0, 0, k)] = tr2 + tr1;
            ch[CH(ido - 1, 3, k)] = tr2 - tr1;
        }
        if ((ido & 1) == 0)
            for (var k = 0; k < l1; k++)
            {
                var ti1 = -hsqt2 * (cc[CC(ido - 1, k, 1)] + cc[CC(ido - 1, k, 3)]);
                var tr1 = hsqt2 * (cc[CC(ido - 1, k, 1)] - cc[CC(ido - 1, k, 3)]);
                ch[CH(ido - 1, 0, k)] = cc[CC(ido - 1, k, 0)] + tr1;
                ch[CH(ido - 1, 2, k)] = cc[CC(ido - 1, k, 0)] - tr1;
                ch[CH(0, 3, k)] = ti1 + cc[CC(ido - 1, k, 2)];
                ch[CH(0, 1, k)] = ti1 - cc[CC(ido - 1, k, 2)];
            }
        if (ido <= 2) return;
        var w = ido - 1;
        for (var k = 0; k < l1; k++)
            for (var i = 2; i < ido; i += 2)
            {
                var ic = ido - i;
                var (cr2, ci2) = MulPm(wa[i - 2], wa[i - 1], cc[CC(i - 1, k, 1)], cc[CC(i, k, 1)]);
                var (cr3, ci3) = MulPm(wa[i - 2 + w], wa[i - 1 + w], cc[CC(i - 1, k, 2)], cc[CC(i, k, 2)]);
                var (cr4, ci4) = MulPm(wa[i - 2 + 2 * w], wa[i - 1 + 2 * w], cc[CC(i - 1, k, 3)], cc[CC(i, k, 3)]);
                var (tr1, tr4) = (cr4 + cr2, cr4 - cr2);
                var (ti1, ti4) = (ci2 + ci4, ci2 - ci4);
                var (tr2, tr3) = (cc[CC(i - 1, k, 0)] + cr3, cc[CC(i - 1, k, 0)] - cr3);
                var (ti2, ti3) = (cc[CC(i, k, 0)] + ci3, cc[CC(i, k, 0)] - ci3);
                ch[CH(i - 1, 0, k)] = tr2 + tr1;
                ch[CH(ic - 1, 3, k)] = tr2 - tr1;
                ch[CH(i, 0, k)] = ti1 + ti2;
                ch[CH(ic, 3, k)] = ti1 - ti2;
                ch[CH(i - 1, 2, k)] = tr3 + ti4;
                ch[CH(ic - 1, 1, k)] = tr3 - ti4;
                ch[CH(i, 2, k)] = tr4 + ti3;
                ch[CH(ic, 1, k)] = tr4 - ti3;
            }
    }

    private static void Radf5(int ido, int l1, Vector256<float>[] cc, Vector256<float>[] ch, float[] wa)
    {
        const float tr11 = 0.3090169943749474241022934171828191f, ti11 = 0.9510565162951535721164393333793821f,
            tr12 = -0.8090169943749474241022934171828191f, ti12 = 0.5877852522924731291687059546390728f;
        int CC(int a, int b, int c) => a + ido * (b + l1 * c);
        int CH(int a, int b, int c) => a + ido * (b + 5 * c);
        for (var k = 0; k < l1; k++)
        {
            var (cr2, ci5) = (cc[CC(0, k, 4)] + cc[CC(0, k, 1)], cc[CC(0, k, 4)] - cc[CC(0, k, 1)]);
            var (cr3, ci4) = (cc[CC(0, k, 3)] + cc[CC(0, k, 2)], cc[CC(0, k, 3)] - cc[CC(0, k, 2)]);
            var c0 = cc[CC(0, k, 0)];
            ch[CH(0, 0, k)] = c0 + cr2 + cr3;
            ch[CH(ido - 1, 1, k)] = c0 + tr11 * cr2 + tr12 * cr3;
            ch[CH(0, 2, k)] = ti11 * ci5 + ti12 * ci4;
            ch[CH(ido - 1, 3, k)] = c0 + tr12 * cr2 + tr11 * cr3;
            ch[CH(0, 4, k)] = ti12 * ci5 - ti11 * ci4;
        }
        if (ido == 1) return;
        var w = ido - 1;
        for (var k = 0; k < l1; k++)
            for (int i = 2, ic = ido - 2; i < ido; i += 2, ic -= 2)
            {
                var (dr2, di2) = MulPm(wa[i - 2], wa[i - 1], cc[CC(i - 1, k, 1)], cc[CC(i, k, 1)]);
                var (dr3, di3) = MulPm(wa[i - 2 + w], wa[i - 1 + w], cc[CC(i - 1, k, 2)], cc[CC(i, k, 2)]);
                var (dr4, di4) = MulPm(wa[i - 2 + 2 * w], wa[i - 1 + 2 * w], cc[CC(i - 1, k, 3)], cc[CC(i, k, 3)]);
                var (dr5, di5) = MulPm(wa[i - 2 + 3 * w], wa[i - 1 + 3 * w], cc[CC(i - 1, k, 4)], cc[CC(i, k, 4)]);
                Rearrange(ref dr2, ref di2, ref dr5, ref di5);
                Rearrange(ref dr3, ref di3, ref dr4, ref di4);
                var (cr, ci) = (cc[CC(i - 1, k, 0)], cc[CC(i, k, 0)]);
                ch[CH(i - 1, 0, k)] = cr + dr2 + dr3;
                ch[CH(i, 0, k)] = ci + di2 + di3;
                var tr2 = cr + tr11 * dr2 + tr12 * dr3;
                var ti2 = ci + tr11 * di2 + tr12 * di3;
                var tr3 = cr + tr12 * dr2 + tr11 * dr3;
                var ti3 = ci + tr12 * di2 + tr11 * di3;
                var tr5 = ti11 * dr5 + ti12 * dr4;
                var ti5 = ti11 * di5 + ti12 * di4;
                var tr4 = ti12 * dr5 - ti11 * dr4;
                var ti4 = ti12 * di5 - ti11 * di4;
                ch[CH(i - 1, 2, k)] = tr2 + tr5;
                ch[CH(ic - 1, 1, k)] = tr2 - tr5;
                ch[CH(i, 2, k)] = ti5 + ti2;
                ch[CH(ic, 1, k)] = ti5 - ti2;
                ch[CH(i - 1, 4, k)] = tr3 + tr4;
                ch[CH(ic - 1, 3, k)] = tr3 - tr4;
                ch[CH(i, 4, k)] = ti4 + ti3;
                ch[CH(ic, 3, k)] = ti4 - ti3;
            }
    }

    private static (Vector256<float> a, Vector256<float> b) MulPm(float c, float d, Vector256<float> e, Vector256<float> f) =>
        (c * e + d * f, c * f - d * e);

    /// <summary>pocketfft's POCKETFFT_REARRANGE: (x, y) -> (x + y, i·(y - x)) on split re/im parts.</summary>
    private static void Rearrange(ref Vector256<float> rx, ref Vector256<float> ix, ref Vector256<float> ry, ref Vector256<float> iy)
    {
        var (t1, t2, t3, t4) = (rx + ry, ry - rx, ix + iy, ix - iy);
        (rx, ix, ry, iy) = (t1, t3, t4, t2);
    }
}
