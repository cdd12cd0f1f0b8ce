using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Pretrained;

/// <summary>A model folder written by tools/make_pretrained_fixtures.py and its oracle's reference.safetensors.</summary>
internal sealed class PretrainedFixture : IDisposable
{
    private readonly Dictionary<string, Tensor> reference;

    public PretrainedFixture(string name)
    {
        Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pretrained", name);
        (reference, _) = Safetensors.Load(Path.Combine(Folder, "reference.safetensors"));
    }

    public string Folder { get; }

    public Tensor this[string key] => reference.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"reference has no '{key}'");

    public IEnumerable<string> Keys(string prefix) => reference.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    /// <summary>A copy of the fixture folder in a temp folder, for tests that damage it.</summary>
    public string CopyFolder()
    {
        var target = Path.Combine(Path.GetTempPath(), "elt-model-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Folder)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    /// <summary>
    /// The largest |actual - expected|, relative to the tensor's scale when that exceeds 1
    /// (max |expected|): float32 sums over a vocabulary give gradients near 100, whose last bits
    /// differ with the order of summation.
    /// </summary>
    public static double MaxDifference(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = torch.NewDisposeScope();
        var e = expected.to(ScalarType.Float64);
        var scale = Math.Max(1, e.abs().max().item());
        return (e - actual.detach().to(ScalarType.Float64)).abs().max().item() / scale;
    }

    public void Dispose()
    {
        foreach (var t in reference.Values) t.Dispose();
    }
}
