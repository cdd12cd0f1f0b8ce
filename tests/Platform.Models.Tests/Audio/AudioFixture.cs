using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Audio;

/// <summary>Reads the torchaudio fixtures written by tools/make_audio_fixtures.py as managed arrays.</summary>
internal static class AudioFixture
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", file);

    public static Dictionary<string, float[]> Load(string name, out Dictionary<string, long[]> shapes)
    {
        var (tensors, _) = Safetensors.Load(PathOf(name + ".safetensors"));
        var arrays = new Dictionary<string, float[]>();
        shapes = new Dictionary<string, long[]>();
        foreach (var (key, tensor) in tensors)
        {
            using (tensor)
            {
                using var f = tensor.to(ScalarType.Float32);
                arrays[key] = f.data<float>();
                shapes[key] = tensor.shape;
            }
        }
        return arrays;
    }

    public static Dictionary<string, float[]> Load(string name) => Load(name, out _);

    /// <summary>Largest |a - b|, after checking the lengths agree.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs((double)expected[i] - actual[i]));
        return worst;
    }
}
