using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Torch;

/// <summary>One case written by tools/make_torch_fixtures.py: inputs, params, outputs and PyTorch's gradients.</summary>
internal sealed class TorchFixture : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors;

    public TorchFixture(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch", name + ".safetensors");
        (tensors, _) = Safetensors.Load(path);
    }

    public Tensor this[string key] => tensors.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"fixture has no '{key}'");

    public bool Has(string key) => tensors.ContainsKey(key);

    public Tensor[] Inputs() => Enumerable.Range(0, int.MaxValue).TakeWhile(i => Has($"in.{i}")).Select(i => tensors[$"in.{i}"]).ToArray();

    public Dictionary<string, Tensor> Params() =>
        tensors.Where(kv => kv.Key.StartsWith("param.")).ToDictionary(kv => kv.Key["param.".Length..], kv => kv.Value);

    public void Dispose()
    {
        foreach (var t in tensors.Values) t.Dispose();
    }

    /// <summary>|actual - expected| <= rtol * |expected| + atol elementwise, with the worst element in the message.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what, double rtol = 1e-5, double atol = 1e-6)
    {
        Assert.Equal(expected.shape, actual.shape);
        if (!expected.dtype.IsFloatingPoint())
        {
            using var e = expected.to(ScalarType.Int64);
            using var a = actual.to(ScalarType.Int64);
            Assert.Equal(e.data<long>(), a.data<long>());
            return;
        }
        using var ef = expected.to(ScalarType.Float64);
        using var af = actual.to(ScalarType.Float64);
        var ev = ef.data<double>();
        var av = af.data<double>();
        for (var i = 0; i < ev.Length; i++)
        {
            var tolerance = rtol * Math.Abs(ev[i]) + atol;
            if (!(Math.Abs(av[i] - ev[i]) <= tolerance))
                Assert.Fail($"{what}: element {i} is {av[i]:R}, PyTorch gives {ev[i]:R} (tolerance {tolerance:G3})");
        }
    }
}
